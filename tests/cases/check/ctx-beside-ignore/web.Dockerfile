# syntax=docker/dockerfile:1
# BuildKit reads web.Dockerfile.dockerignore beside this file instead of
# the context's .dockerignore: the .env file stays out.
FROM python:3.12-slim
WORKDIR /app
COPY . .
USER 10001
CMD ["python", "app.py"]
