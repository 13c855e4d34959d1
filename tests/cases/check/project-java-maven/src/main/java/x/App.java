package x; class App {}
