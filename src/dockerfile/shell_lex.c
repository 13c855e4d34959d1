/* shell_lex.c — BuildKit's shell-word lexer (frontend/dockerfile/shell/lex.go)
 * re-implemented in C: quote and escape removal, $name / ${name<mod>word}
 * substitution with BuildKit's glob patterns, and word splitting.
 *
 * The aim is to give the same output and the same errors as BuildKit for
 * every input, including its corner cases:
 *  - the word is read as a sequence of code points the way Go's text/scanner
 *    reads it: a leading U+FEFF is skipped and every invalid UTF-8 byte reads
 *    as U+FFFD (and is written out as EF BF BD);
 *  - variable names use Unicode letters and decimal digits (Go's
 *    unicode.IsLetter / unicode.IsDigit, Unicode 15.0 tables below);
 *  - glob patterns are matched with the leftmost-first semantics of Go's
 *    regexp for the pattern's regular-expression translation ('*' is ".*" or
 *    ".*?", '?' is "."; neither matches a newline), by a small Pike VM that
 *    runs in O(len(value) * len(pattern)) time and O(len(pattern)) memory;
 *  - ProcessWords reproduces upstream's shared partial-word buffer: a nested
 *    ${name<mod>...} expansion, directly or inside double quotes, discards the
 *    text of the current word that came before it (upstream resets the buffer
 *    it shares with nested scans), so `a${x:-b}c` splits to "bc";
 *  - error texts are upstream's, without the outer
 *    `failed to process "<word>": ` wrapper that BuildKit adds.
 * Differences: ${...} nesting deeper than DW_LEX_MAX_NESTING is an error
 * rather than unbounded recursion; a NUL byte quoted in an error message is
 * written as \x00; a Windows environment (fold_case) folds ASCII letters
 * only, where Go upper-cases every letter. */
#include "shell_lex.h"

#include <stdlib.h>

#define CH_EOF (-1)
#define DW_LEX_MAX_NESTING 1000

/* ---- Unicode classes -------------------------------------------------- */

/* Code point ranges of general category L (letters) and Nd (decimal
 * digits), Unicode 15.0.0 — the version Go's unicode package uses. */
static const uint32_t letter_ranges[][2] = {
    {0x41, 0x5A}, {0x61, 0x7A}, {0xAA, 0xAA}, {0xB5, 0xB5}, {0xBA, 0xBA}, {0xC0, 0xD6},
    {0xD8, 0xF6}, {0xF8, 0x2C1}, {0x2C6, 0x2D1}, {0x2E0, 0x2E4}, {0x2EC, 0x2EC}, {0x2EE, 0x2EE},
    {0x370, 0x374}, {0x376, 0x377}, {0x37A, 0x37D}, {0x37F, 0x37F}, {0x386, 0x386},
    {0x388, 0x38A}, {0x38C, 0x38C}, {0x38E, 0x3A1}, {0x3A3, 0x3F5}, {0x3F7, 0x481},
    {0x48A, 0x52F}, {0x531, 0x556}, {0x559, 0x559}, {0x560, 0x588}, {0x5D0, 0x5EA},
    {0x5EF, 0x5F2}, {0x620, 0x64A}, {0x66E, 0x66F}, {0x671, 0x6D3}, {0x6D5, 0x6D5},
    {0x6E5, 0x6E6}, {0x6EE, 0x6EF}, {0x6FA, 0x6FC}, {0x6FF, 0x6FF}, {0x710, 0x710},
    {0x712, 0x72F}, {0x74D, 0x7A5}, {0x7B1, 0x7B1}, {0x7CA, 0x7EA}, {0x7F4, 0x7F5},
    {0x7FA, 0x7FA}, {0x800, 0x815}, {0x81A, 0x81A}, {0x824, 0x824}, {0x828, 0x828},
    {0x840, 0x858}, {0x860, 0x86A}, {0x870, 0x887}, {0x889, 0x88E}, {0x8A0, 0x8C9},
    {0x904, 0x939}, {0x93D, 0x93D}, {0x950, 0x950}, {0x958, 0x961}, {0x971, 0x980},
    {0x985, 0x98C}, {0x98F, 0x990}, {0x993, 0x9A8}, {0x9AA, 0x9B0}, {0x9B2, 0x9B2},
    {0x9B6, 0x9B9}, {0x9BD, 0x9BD}, {0x9CE, 0x9CE}, {0x9DC, 0x9DD}, {0x9DF, 0x9E1},
    {0x9F0, 0x9F1}, {0x9FC, 0x9FC}, {0xA05, 0xA0A}, {0xA0F, 0xA10}, {0xA13, 0xA28},
    {0xA2A, 0xA30}, {0xA32, 0xA33}, {0xA35, 0xA36}, {0xA38, 0xA39}, {0xA59, 0xA5C},
    {0xA5E, 0xA5E}, {0xA72, 0xA74}, {0xA85, 0xA8D}, {0xA8F, 0xA91}, {0xA93, 0xAA8},
    {0xAAA, 0xAB0}, {0xAB2, 0xAB3}, {0xAB5, 0xAB9}, {0xABD, 0xABD}, {0xAD0, 0xAD0},
    {0xAE0, 0xAE1}, {0xAF9, 0xAF9}, {0xB05, 0xB0C}, {0xB0F, 0xB10}, {0xB13, 0xB28},
    {0xB2A, 0xB30}, {0xB32, 0xB33}, {0xB35, 0xB39}, {0xB3D, 0xB3D}, {0xB5C, 0xB5D},
    {0xB5F, 0xB61}, {0xB71, 0xB71}, {0xB83, 0xB83}, {0xB85, 0xB8A}, {0xB8E, 0xB90},
    {0xB92, 0xB95}, {0xB99, 0xB9A}, {0xB9C, 0xB9C}, {0xB9E, 0xB9F}, {0xBA3, 0xBA4},
    {0xBA8, 0xBAA}, {0xBAE, 0xBB9}, {0xBD0, 0xBD0}, {0xC05, 0xC0C}, {0xC0E, 0xC10},
    {0xC12, 0xC28}, {0xC2A, 0xC39}, {0xC3D, 0xC3D}, {0xC58, 0xC5A}, {0xC5D, 0xC5D},
    {0xC60, 0xC61}, {0xC80, 0xC80}, {0xC85, 0xC8C}, {0xC8E, 0xC90}, {0xC92, 0xCA8},
    {0xCAA, 0xCB3}, {0xCB5, 0xCB9}, {0xCBD, 0xCBD}, {0xCDD, 0xCDE}, {0xCE0, 0xCE1},
    {0xCF1, 0xCF2}, {0xD04, 0xD0C}, {0xD0E, 0xD10}, {0xD12, 0xD3A}, {0xD3D, 0xD3D},
    {0xD4E, 0xD4E}, {0xD54, 0xD56}, {0xD5F, 0xD61}, {0xD7A, 0xD7F}, {0xD85, 0xD96},
    {0xD9A, 0xDB1}, {0xDB3, 0xDBB}, {0xDBD, 0xDBD}, {0xDC0, 0xDC6}, {0xE01, 0xE30},
    {0xE32, 0xE33}, {0xE40, 0xE46}, {0xE81, 0xE82}, {0xE84, 0xE84}, {0xE86, 0xE8A},
    {0xE8C, 0xEA3}, {0xEA5, 0xEA5}, {0xEA7, 0xEB0}, {0xEB2, 0xEB3}, {0xEBD, 0xEBD},
    {0xEC0, 0xEC4}, {0xEC6, 0xEC6}, {0xEDC, 0xEDF}, {0xF00, 0xF00}, {0xF40, 0xF47},
    {0xF49, 0xF6C}, {0xF88, 0xF8C}, {0x1000, 0x102A}, {0x103F, 0x103F}, {0x1050, 0x1055},
    {0x105A, 0x105D}, {0x1061, 0x1061}, {0x1065, 0x1066}, {0x106E, 0x1070}, {0x1075, 0x1081},
    {0x108E, 0x108E}, {0x10A0, 0x10C5}, {0x10C7, 0x10C7}, {0x10CD, 0x10CD}, {0x10D0, 0x10FA},
    {0x10FC, 0x1248}, {0x124A, 0x124D}, {0x1250, 0x1256}, {0x1258, 0x1258}, {0x125A, 0x125D},
    {0x1260, 0x1288}, {0x128A, 0x128D}, {0x1290, 0x12B0}, {0x12B2, 0x12B5}, {0x12B8, 0x12BE},
    {0x12C0, 0x12C0}, {0x12C2, 0x12C5}, {0x12C8, 0x12D6}, {0x12D8, 0x1310}, {0x1312, 0x1315},
    {0x1318, 0x135A}, {0x1380, 0x138F}, {0x13A0, 0x13F5}, {0x13F8, 0x13FD}, {0x1401, 0x166C},
    {0x166F, 0x167F}, {0x1681, 0x169A}, {0x16A0, 0x16EA}, {0x16F1, 0x16F8}, {0x1700, 0x1711},
    {0x171F, 0x1731}, {0x1740, 0x1751}, {0x1760, 0x176C}, {0x176E, 0x1770}, {0x1780, 0x17B3},
    {0x17D7, 0x17D7}, {0x17DC, 0x17DC}, {0x1820, 0x1878}, {0x1880, 0x1884}, {0x1887, 0x18A8},
    {0x18AA, 0x18AA}, {0x18B0, 0x18F5}, {0x1900, 0x191E}, {0x1950, 0x196D}, {0x1970, 0x1974},
    {0x1980, 0x19AB}, {0x19B0, 0x19C9}, {0x1A00, 0x1A16}, {0x1A20, 0x1A54}, {0x1AA7, 0x1AA7},
    {0x1B05, 0x1B33}, {0x1B45, 0x1B4C}, {0x1B83, 0x1BA0}, {0x1BAE, 0x1BAF}, {0x1BBA, 0x1BE5},
    {0x1C00, 0x1C23}, {0x1C4D, 0x1C4F}, {0x1C5A, 0x1C7D}, {0x1C80, 0x1C88}, {0x1C90, 0x1CBA},
    {0x1CBD, 0x1CBF}, {0x1CE9, 0x1CEC}, {0x1CEE, 0x1CF3}, {0x1CF5, 0x1CF6}, {0x1CFA, 0x1CFA},
    {0x1D00, 0x1DBF}, {0x1E00, 0x1F15}, {0x1F18, 0x1F1D}, {0x1F20, 0x1F45}, {0x1F48, 0x1F4D},
    {0x1F50, 0x1F57}, {0x1F59, 0x1F59}, {0x1F5B, 0x1F5B}, {0x1F5D, 0x1F5D}, {0x1F5F, 0x1F7D},
    {0x1F80, 0x1FB4}, {0x1FB6, 0x1FBC}, {0x1FBE, 0x1FBE}, {0x1FC2, 0x1FC4}, {0x1FC6, 0x1FCC},
    {0x1FD0, 0x1FD3}, {0x1FD6, 0x1FDB}, {0x1FE0, 0x1FEC}, {0x1FF2, 0x1FF4}, {0x1FF6, 0x1FFC},
    {0x2071, 0x2071}, {0x207F, 0x207F}, {0x2090, 0x209C}, {0x2102, 0x2102}, {0x2107, 0x2107},
    {0x210A, 0x2113}, {0x2115, 0x2115}, {0x2119, 0x211D}, {0x2124, 0x2124}, {0x2126, 0x2126},
    {0x2128, 0x2128}, {0x212A, 0x212D}, {0x212F, 0x2139}, {0x213C, 0x213F}, {0x2145, 0x2149},
    {0x214E, 0x214E}, {0x2183, 0x2184}, {0x2C00, 0x2CE4}, {0x2CEB, 0x2CEE}, {0x2CF2, 0x2CF3},
    {0x2D00, 0x2D25}, {0x2D27, 0x2D27}, {0x2D2D, 0x2D2D}, {0x2D30, 0x2D67}, {0x2D6F, 0x2D6F},
    {0x2D80, 0x2D96}, {0x2DA0, 0x2DA6}, {0x2DA8, 0x2DAE}, {0x2DB0, 0x2DB6}, {0x2DB8, 0x2DBE},
    {0x2DC0, 0x2DC6}, {0x2DC8, 0x2DCE}, {0x2DD0, 0x2DD6}, {0x2DD8, 0x2DDE}, {0x2E2F, 0x2E2F},
    {0x3005, 0x3006}, {0x3031, 0x3035}, {0x303B, 0x303C}, {0x3041, 0x3096}, {0x309D, 0x309F},
    {0x30A1, 0x30FA}, {0x30FC, 0x30FF}, {0x3105, 0x312F}, {0x3131, 0x318E}, {0x31A0, 0x31BF},
    {0x31F0, 0x31FF}, {0x3400, 0x4DBF}, {0x4E00, 0xA48C}, {0xA4D0, 0xA4FD}, {0xA500, 0xA60C},
    {0xA610, 0xA61F}, {0xA62A, 0xA62B}, {0xA640, 0xA66E}, {0xA67F, 0xA69D}, {0xA6A0, 0xA6E5},
    {0xA717, 0xA71F}, {0xA722, 0xA788}, {0xA78B, 0xA7CA}, {0xA7D0, 0xA7D1}, {0xA7D3, 0xA7D3},
    {0xA7D5, 0xA7D9}, {0xA7F2, 0xA801}, {0xA803, 0xA805}, {0xA807, 0xA80A}, {0xA80C, 0xA822},
    {0xA840, 0xA873}, {0xA882, 0xA8B3}, {0xA8F2, 0xA8F7}, {0xA8FB, 0xA8FB}, {0xA8FD, 0xA8FE},
    {0xA90A, 0xA925}, {0xA930, 0xA946}, {0xA960, 0xA97C}, {0xA984, 0xA9B2}, {0xA9CF, 0xA9CF},
    {0xA9E0, 0xA9E4}, {0xA9E6, 0xA9EF}, {0xA9FA, 0xA9FE}, {0xAA00, 0xAA28}, {0xAA40, 0xAA42},
    {0xAA44, 0xAA4B}, {0xAA60, 0xAA76}, {0xAA7A, 0xAA7A}, {0xAA7E, 0xAAAF}, {0xAAB1, 0xAAB1},
    {0xAAB5, 0xAAB6}, {0xAAB9, 0xAABD}, {0xAAC0, 0xAAC0}, {0xAAC2, 0xAAC2}, {0xAADB, 0xAADD},
    {0xAAE0, 0xAAEA}, {0xAAF2, 0xAAF4}, {0xAB01, 0xAB06}, {0xAB09, 0xAB0E}, {0xAB11, 0xAB16},
    {0xAB20, 0xAB26}, {0xAB28, 0xAB2E}, {0xAB30, 0xAB5A}, {0xAB5C, 0xAB69}, {0xAB70, 0xABE2},
    {0xAC00, 0xD7A3}, {0xD7B0, 0xD7C6}, {0xD7CB, 0xD7FB}, {0xF900, 0xFA6D}, {0xFA70, 0xFAD9},
    {0xFB00, 0xFB06}, {0xFB13, 0xFB17}, {0xFB1D, 0xFB1D}, {0xFB1F, 0xFB28}, {0xFB2A, 0xFB36},
    {0xFB38, 0xFB3C}, {0xFB3E, 0xFB3E}, {0xFB40, 0xFB41}, {0xFB43, 0xFB44}, {0xFB46, 0xFBB1},
    {0xFBD3, 0xFD3D}, {0xFD50, 0xFD8F}, {0xFD92, 0xFDC7}, {0xFDF0, 0xFDFB}, {0xFE70, 0xFE74},
    {0xFE76, 0xFEFC}, {0xFF21, 0xFF3A}, {0xFF41, 0xFF5A}, {0xFF66, 0xFFBE}, {0xFFC2, 0xFFC7},
    {0xFFCA, 0xFFCF}, {0xFFD2, 0xFFD7}, {0xFFDA, 0xFFDC}, {0x10000, 0x1000B},
    {0x1000D, 0x10026}, {0x10028, 0x1003A}, {0x1003C, 0x1003D}, {0x1003F, 0x1004D},
    {0x10050, 0x1005D}, {0x10080, 0x100FA}, {0x10280, 0x1029C}, {0x102A0, 0x102D0},
    {0x10300, 0x1031F}, {0x1032D, 0x10340}, {0x10342, 0x10349}, {0x10350, 0x10375},
    {0x10380, 0x1039D}, {0x103A0, 0x103C3}, {0x103C8, 0x103CF}, {0x10400, 0x1049D},
    {0x104B0, 0x104D3}, {0x104D8, 0x104FB}, {0x10500, 0x10527}, {0x10530, 0x10563},
    {0x10570, 0x1057A}, {0x1057C, 0x1058A}, {0x1058C, 0x10592}, {0x10594, 0x10595},
    {0x10597, 0x105A1}, {0x105A3, 0x105B1}, {0x105B3, 0x105B9}, {0x105BB, 0x105BC},
    {0x10600, 0x10736}, {0x10740, 0x10755}, {0x10760, 0x10767}, {0x10780, 0x10785},
    {0x10787, 0x107B0}, {0x107B2, 0x107BA}, {0x10800, 0x10805}, {0x10808, 0x10808},
    {0x1080A, 0x10835}, {0x10837, 0x10838}, {0x1083C, 0x1083C}, {0x1083F, 0x10855},
    {0x10860, 0x10876}, {0x10880, 0x1089E}, {0x108E0, 0x108F2}, {0x108F4, 0x108F5},
    {0x10900, 0x10915}, {0x10920, 0x10939}, {0x10980, 0x109B7}, {0x109BE, 0x109BF},
    {0x10A00, 0x10A00}, {0x10A10, 0x10A13}, {0x10A15, 0x10A17}, {0x10A19, 0x10A35},
    {0x10A60, 0x10A7C}, {0x10A80, 0x10A9C}, {0x10AC0, 0x10AC7}, {0x10AC9, 0x10AE4},
    {0x10B00, 0x10B35}, {0x10B40, 0x10B55}, {0x10B60, 0x10B72}, {0x10B80, 0x10B91},
    {0x10C00, 0x10C48}, {0x10C80, 0x10CB2}, {0x10CC0, 0x10CF2}, {0x10D00, 0x10D23},
    {0x10E80, 0x10EA9}, {0x10EB0, 0x10EB1}, {0x10F00, 0x10F1C}, {0x10F27, 0x10F27},
    {0x10F30, 0x10F45}, {0x10F70, 0x10F81}, {0x10FB0, 0x10FC4}, {0x10FE0, 0x10FF6},
    {0x11003, 0x11037}, {0x11071, 0x11072}, {0x11075, 0x11075}, {0x11083, 0x110AF},
    {0x110D0, 0x110E8}, {0x11103, 0x11126}, {0x11144, 0x11144}, {0x11147, 0x11147},
    {0x11150, 0x11172}, {0x11176, 0x11176}, {0x11183, 0x111B2}, {0x111C1, 0x111C4},
    {0x111DA, 0x111DA}, {0x111DC, 0x111DC}, {0x11200, 0x11211}, {0x11213, 0x1122B},
    {0x1123F, 0x11240}, {0x11280, 0x11286}, {0x11288, 0x11288}, {0x1128A, 0x1128D},
    {0x1128F, 0x1129D}, {0x1129F, 0x112A8}, {0x112B0, 0x112DE}, {0x11305, 0x1130C},
    {0x1130F, 0x11310}, {0x11313, 0x11328}, {0x1132A, 0x11330}, {0x11332, 0x11333},
    {0x11335, 0x11339}, {0x1133D, 0x1133D}, {0x11350, 0x11350}, {0x1135D, 0x11361},
    {0x11400, 0x11434}, {0x11447, 0x1144A}, {0x1145F, 0x11461}, {0x11480, 0x114AF},
    {0x114C4, 0x114C5}, {0x114C7, 0x114C7}, {0x11580, 0x115AE}, {0x115D8, 0x115DB},
    {0x11600, 0x1162F}, {0x11644, 0x11644}, {0x11680, 0x116AA}, {0x116B8, 0x116B8},
    {0x11700, 0x1171A}, {0x11740, 0x11746}, {0x11800, 0x1182B}, {0x118A0, 0x118DF},
    {0x118FF, 0x11906}, {0x11909, 0x11909}, {0x1190C, 0x11913}, {0x11915, 0x11916},
    {0x11918, 0x1192F}, {0x1193F, 0x1193F}, {0x11941, 0x11941}, {0x119A0, 0x119A7},
    {0x119AA, 0x119D0}, {0x119E1, 0x119E1}, {0x119E3, 0x119E3}, {0x11A00, 0x11A00},
    {0x11A0B, 0x11A32}, {0x11A3A, 0x11A3A}, {0x11A50, 0x11A50}, {0x11A5C, 0x11A89},
    {0x11A9D, 0x11A9D}, {0x11AB0, 0x11AF8}, {0x11C00, 0x11C08}, {0x11C0A, 0x11C2E},
    {0x11C40, 0x11C40}, {0x11C72, 0x11C8F}, {0x11D00, 0x11D06}, {0x11D08, 0x11D09},
    {0x11D0B, 0x11D30}, {0x11D46, 0x11D46}, {0x11D60, 0x11D65}, {0x11D67, 0x11D68},
    {0x11D6A, 0x11D89}, {0x11D98, 0x11D98}, {0x11EE0, 0x11EF2}, {0x11F02, 0x11F02},
    {0x11F04, 0x11F10}, {0x11F12, 0x11F33}, {0x11FB0, 0x11FB0}, {0x12000, 0x12399},
    {0x12480, 0x12543}, {0x12F90, 0x12FF0}, {0x13000, 0x1342F}, {0x13441, 0x13446},
    {0x14400, 0x14646}, {0x16800, 0x16A38}, {0x16A40, 0x16A5E}, {0x16A70, 0x16ABE},
    {0x16AD0, 0x16AED}, {0x16B00, 0x16B2F}, {0x16B40, 0x16B43}, {0x16B63, 0x16B77},
    {0x16B7D, 0x16B8F}, {0x16E40, 0x16E7F}, {0x16F00, 0x16F4A}, {0x16F50, 0x16F50},
    {0x16F93, 0x16F9F}, {0x16FE0, 0x16FE1}, {0x16FE3, 0x16FE3}, {0x17000, 0x187F7},
    {0x18800, 0x18CD5}, {0x18D00, 0x18D08}, {0x1AFF0, 0x1AFF3}, {0x1AFF5, 0x1AFFB},
    {0x1AFFD, 0x1AFFE}, {0x1B000, 0x1B122}, {0x1B132, 0x1B132}, {0x1B150, 0x1B152},
    {0x1B155, 0x1B155}, {0x1B164, 0x1B167}, {0x1B170, 0x1B2FB}, {0x1BC00, 0x1BC6A},
    {0x1BC70, 0x1BC7C}, {0x1BC80, 0x1BC88}, {0x1BC90, 0x1BC99}, {0x1D400, 0x1D454},
    {0x1D456, 0x1D49C}, {0x1D49E, 0x1D49F}, {0x1D4A2, 0x1D4A2}, {0x1D4A5, 0x1D4A6},
    {0x1D4A9, 0x1D4AC}, {0x1D4AE, 0x1D4B9}, {0x1D4BB, 0x1D4BB}, {0x1D4BD, 0x1D4C3},
    {0x1D4C5, 0x1D505}, {0x1D507, 0x1D50A}, {0x1D50D, 0x1D514}, {0x1D516, 0x1D51C},
    {0x1D51E, 0x1D539}, {0x1D53B, 0x1D53E}, {0x1D540, 0x1D544}, {0x1D546, 0x1D546},
    {0x1D54A, 0x1D550}, {0x1D552, 0x1D6A5}, {0x1D6A8, 0x1D6C0}, {0x1D6C2, 0x1D6DA},
    {0x1D6DC, 0x1D6FA}, {0x1D6FC, 0x1D714}, {0x1D716, 0x1D734}, {0x1D736, 0x1D74E},
    {0x1D750, 0x1D76E}, {0x1D770, 0x1D788}, {0x1D78A, 0x1D7A8}, {0x1D7AA, 0x1D7C2},
    {0x1D7C4, 0x1D7CB}, {0x1DF00, 0x1DF1E}, {0x1DF25, 0x1DF2A}, {0x1E030, 0x1E06D},
    {0x1E100, 0x1E12C}, {0x1E137, 0x1E13D}, {0x1E14E, 0x1E14E}, {0x1E290, 0x1E2AD},
    {0x1E2C0, 0x1E2EB}, {0x1E4D0, 0x1E4EB}, {0x1E7E0, 0x1E7E6}, {0x1E7E8, 0x1E7EB},
    {0x1E7ED, 0x1E7EE}, {0x1E7F0, 0x1E7FE}, {0x1E800, 0x1E8C4}, {0x1E900, 0x1E943},
    {0x1E94B, 0x1E94B}, {0x1EE00, 0x1EE03}, {0x1EE05, 0x1EE1F}, {0x1EE21, 0x1EE22},
    {0x1EE24, 0x1EE24}, {0x1EE27, 0x1EE27}, {0x1EE29, 0x1EE32}, {0x1EE34, 0x1EE37},
    {0x1EE39, 0x1EE39}, {0x1EE3B, 0x1EE3B}, {0x1EE42, 0x1EE42}, {0x1EE47, 0x1EE47},
    {0x1EE49, 0x1EE49}, {0x1EE4B, 0x1EE4B}, {0x1EE4D, 0x1EE4F}, {0x1EE51, 0x1EE52},
    {0x1EE54, 0x1EE54}, {0x1EE57, 0x1EE57}, {0x1EE59, 0x1EE59}, {0x1EE5B, 0x1EE5B},
    {0x1EE5D, 0x1EE5D}, {0x1EE5F, 0x1EE5F}, {0x1EE61, 0x1EE62}, {0x1EE64, 0x1EE64},
    {0x1EE67, 0x1EE6A}, {0x1EE6C, 0x1EE72}, {0x1EE74, 0x1EE77}, {0x1EE79, 0x1EE7C},
    {0x1EE7E, 0x1EE7E}, {0x1EE80, 0x1EE89}, {0x1EE8B, 0x1EE9B}, {0x1EEA1, 0x1EEA3},
    {0x1EEA5, 0x1EEA9}, {0x1EEAB, 0x1EEBB}, {0x20000, 0x2A6DF}, {0x2A700, 0x2B739},
    {0x2B740, 0x2B81D}, {0x2B820, 0x2CEA1}, {0x2CEB0, 0x2EBE0}, {0x2F800, 0x2FA1D},
    {0x30000, 0x3134A}, {0x31350, 0x323AF},
};

static const uint32_t digit_ranges[][2] = {
    {0x30, 0x39}, {0x660, 0x669}, {0x6F0, 0x6F9}, {0x7C0, 0x7C9}, {0x966, 0x96F},
    {0x9E6, 0x9EF}, {0xA66, 0xA6F}, {0xAE6, 0xAEF}, {0xB66, 0xB6F}, {0xBE6, 0xBEF},
    {0xC66, 0xC6F}, {0xCE6, 0xCEF}, {0xD66, 0xD6F}, {0xDE6, 0xDEF}, {0xE50, 0xE59},
    {0xED0, 0xED9}, {0xF20, 0xF29}, {0x1040, 0x1049}, {0x1090, 0x1099}, {0x17E0, 0x17E9},
    {0x1810, 0x1819}, {0x1946, 0x194F}, {0x19D0, 0x19D9}, {0x1A80, 0x1A89}, {0x1A90, 0x1A99},
    {0x1B50, 0x1B59}, {0x1BB0, 0x1BB9}, {0x1C40, 0x1C49}, {0x1C50, 0x1C59}, {0xA620, 0xA629},
    {0xA8D0, 0xA8D9}, {0xA900, 0xA909}, {0xA9D0, 0xA9D9}, {0xA9F0, 0xA9F9}, {0xAA50, 0xAA59},
    {0xABF0, 0xABF9}, {0xFF10, 0xFF19}, {0x104A0, 0x104A9}, {0x10D30, 0x10D39},
    {0x11066, 0x1106F}, {0x110F0, 0x110F9}, {0x11136, 0x1113F}, {0x111D0, 0x111D9},
    {0x112F0, 0x112F9}, {0x11450, 0x11459}, {0x114D0, 0x114D9}, {0x11650, 0x11659},
    {0x116C0, 0x116C9}, {0x11730, 0x11739}, {0x118E0, 0x118E9}, {0x11950, 0x11959},
    {0x11C50, 0x11C59}, {0x11D50, 0x11D59}, {0x11DA0, 0x11DA9}, {0x11F50, 0x11F59},
    {0x16A60, 0x16A69}, {0x16AC0, 0x16AC9}, {0x16B50, 0x16B59}, {0x1D7CE, 0x1D7FF},
    {0x1E140, 0x1E149}, {0x1E2F0, 0x1E2F9}, {0x1E4F0, 0x1E4F9}, {0x1E950, 0x1E959},
    {0x1FBF0, 0x1FBF9},
};

/* Returns true when c lies in one of the n sorted, disjoint ranges r. */
static bool in_ranges(const uint32_t (*r)[2], size_t n, uint32_t c)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c < r[mid][0]) hi = mid;
        else if (c > r[mid][1]) lo = mid + 1;
        else return true;
    }
    return false;
}

/* Go's unicode.IsLetter. */
static bool is_letter(int32_t c)
{
    if (c < 0) return false;
    if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return in_ranges(letter_ranges, sizeof letter_ranges / sizeof letter_ranges[0], (uint32_t)c);
}

/* Go's unicode.IsDigit (category Nd). */
static bool is_digit(int32_t c)
{
    if (c < 0) return false;
    if (c < 0x80) return c >= '0' && c <= '9';
    return in_ranges(digit_ranges, sizeof digit_ranges / sizeof digit_ranges[0], (uint32_t)c);
}

/* The POSIX special parameters that form a one-character name. */
static bool is_special_param(int32_t c)
{
    switch (c) {
    case '@': case '*': case '#': case '?': case '-': case '$': case '!': case '0':
        return true;
    default:
        return false;
    }
}

/* Decodes the code point at p (n > 0 bytes left) the way Go does: an invalid
 * byte is U+FFFD of width 1. */
static int32_t decode_at(const char *p, size_t n, int *width)
{
    unsigned char c = (unsigned char)p[0];
    if (c < 0x80) { *width = 1; return c; }
    return (int32_t)dw_utf8_decode(p, n, width);
}

/* Appends code point c as UTF-8; a negative c (end of input) is U+FFFD, as
 * Go's string(rune(-1)) is. */
static void put_rune(dw_buf *b, int32_t c)
{
    if (c >= 0 && c < 0x80) {
        dw_buf_putc(b, (char)c);
        return;
    }
    char tmp[4];
    int n = dw_utf8_encode(c < 0 ? 0xFFFD : (uint32_t)c, tmp);
    dw_buf_put(b, tmp, (size_t)n);
}

/* Appends the bytes of s. */
static void put_str(dw_buf *b, dw_str s)
{
    if (s.len) dw_buf_put(b, s.ptr, s.len);
}

/* The buffer's contents as a view (empty when nothing was written). */
static dw_str buf_view(const dw_buf *b)
{
    return b->n ? dw_str_make(b->p, b->n) : dw_str_make("", 0);
}

/* ---- environment ------------------------------------------------------ */

/* Compares two variable names: exactly, or ASCII case-insensitively for a
 * Windows environment (Go upper-cases names there; only ASCII letters are
 * folded here). */
static bool env_name_eq(const dw_env *env, dw_str a, dw_str b)
{
    return env->fold_case ? dw_str_ieq(a, b) : dw_str_eq(a, b);
}

/* ---- the indexes (see shell_lex.h) ---- */

enum { SLOT_EMPTY, SLOT_OWN, SLOT_INHERITED, SLOT_ABSENT };

typedef struct {
    dw_str name, value;
    uint32_t hash;
    uint32_t own;   /* SLOT_OWN: the index in v */
    uint8_t state;
} env_slot;

struct dw_env_index {
    env_slot *s;
    uint32_t cap, n; /* cap: a power of two, kept at most half full */
};

#define ENV_SCAN_MAX 8 /* own variables looked up by a scan; more get a hash */

static uint32_t env_hash(const dw_env *env, dw_str name)
{
    return env->fold_case ? dw_hash_lower(name.ptr, name.len) : dw_hash(name.ptr, name.len);
}

/* The slot of `name` in ix, or the empty slot where it would go. */
static env_slot *ix_find(const dw_env *env, const dw_env_index *ix, dw_str name, uint32_t h)
{
    for (uint32_t k = h & (ix->cap - 1);; k = (k + 1) & (ix->cap - 1)) {
        env_slot *sl = &ix->s[k];
        if (sl->state == SLOT_EMPTY || (sl->hash == h && env_name_eq(env, sl->name, name))) return sl;
    }
}

static env_slot *ix_put(dw_arena *a, const dw_env *env, dw_env_index *ix, dw_str name, uint32_t h)
{
    if (2 * (ix->n + 1) > ix->cap) {
        dw_env_index old = *ix;
        ix->cap = old.cap ? 2 * old.cap : 4;
        ix->s = DW_NEW(a, env_slot, ix->cap);
        for (uint32_t k = 0; k < old.cap; k++)
            if (old.s[k].state != SLOT_EMPTY) *ix_find(env, ix, old.s[k].name, old.s[k].hash) = old.s[k];
    }
    env_slot *sl = ix_find(env, ix, name, h);
    if (sl->state == SLOT_EMPTY) {
        ix->n++;
        sl->name = name;
        sl->hash = h;
    }
    return sl;
}

/* The own-variable index of env, made when it first has more than a few. */
static dw_env_index *own_index(dw_env *env)
{
    if (!env->ix) {
        env->ix = DW_NEW(env->arena, dw_env_index, 1);
        for (uint32_t i = 0; i < env->n; i++) {
            env_slot *sl = ix_put(env->arena, env, env->ix, env->v[i].name, env_hash(env, env->v[i].name));
            sl->state = SLOT_OWN;
            sl->own = i;
            sl->value = env->v[i].value;
        }
    }
    return env->ix;
}

/* Adds name (hash h) to the names set in env's tree. */
static void tree_add(dw_env *env, dw_str name, uint32_t h)
{
    ix_put(env->arena, env, env->tree, name, h)->state = SLOT_OWN;
}

/* Sets name to value: replaces the value of an existing entry with the same
 * name, else appends an entry (the vector grows in the arena). The strings
 * are not copied; they must live as long as the environment. */
void dw_env_set(dw_arena *a, dw_env *env, dw_str name, dw_str value)
{
    if (!env->arena) env->arena = a;
    bool hashed = env->ix || env->n >= ENV_SCAN_MAX;
    uint32_t h = env->tree || hashed ? env_hash(env, name) : 0;
    if (env->tree) tree_add(env, name, h);
    if (hashed) {
        env_slot *sl = ix_put(a, env, own_index(env), name, h);
        if (sl->state == SLOT_OWN) {
            env->v[sl->own].value = value;
        } else { /* new here, or a remembered answer it now overrides */
            dw_env_var var = {name, value};
            DW_VEC_PUSH(a, *env, var);
            sl->state = SLOT_OWN;
            sl->own = env->n - 1;
        }
        sl->value = value;
        return;
    }
    for (uint32_t i = env->n; i-- > 0;) {
        if (env_name_eq(env, env->v[i].name, name)) {
            env->v[i].value = value;
            return;
        }
    }
    dw_env_var var = {name, value};
    DW_VEC_PUSH(a, *env, var);
}

void dw_env_link(dw_arena *a, dw_env *env, const dw_env *parent)
{
    dw_env *p = (dw_env *)parent; /* the indexes are caches */
    env->arena = a;
    env->parent = parent;
    env->fold_case = parent->fold_case;
    if (!p->tree) { /* the first child: the tree starts with the root's names */
        if (!p->arena) p->arena = a;
        p->tree = DW_NEW(a, dw_env_index, 1);
        for (uint32_t i = 0; i < p->n; i++) tree_add(p, p->v[i].name, env_hash(p, p->v[i].name));
    }
    env->tree = p->tree;
    for (uint32_t i = 0; i < env->n; i++) tree_add(env, env->v[i].name, env_hash(env, env->v[i].name));
}

/* name's hash as env compares names (computed once per mode). */
typedef struct { dw_str name; uint32_t h[2]; bool have[2]; } env_key;

static uint32_t key_hash(const dw_env *env, env_key *k)
{
    int m = env->fold_case;
    if (!k->have[m]) {
        k->h[m] = env_hash(env, k->name);
        k->have[m] = true;
    }
    return k->h[m];
}

/* env's own answer for the name: 1 set (*value), 0 known unset, -1 not
 * known here (ask the parent). */
static int own_answer(const dw_env *env, env_key *k, dw_str *value)
{
    if (env->ix) {
        const env_slot *sl = ix_find(env, env->ix, k->name, key_hash(env, k));
        if (sl->state == SLOT_EMPTY) return -1;
        *value = sl->value;
        return sl->state != SLOT_ABSENT;
    }
    for (uint32_t i = env->n; i-- > 0;) {
        if (env_name_eq(env, env->v[i].name, k->name)) {
            *value = env->v[i].value;
            return 1;
        }
    }
    return -1;
}

/* Looks name up, the last matching entry winning; returns true and sets
 * *value when it is set. A NULL env is empty. */
bool dw_env_get(const dw_env *env, dw_str name, dw_str *value)
{
    if (!env) return false;
    env_key k = {name, {0, 0}, {false, false}};
    dw_str v = {0};
    /* a name set nowhere in the tree: no walk */
    if (env->tree && (!env->tree->cap || ix_find(env, env->tree, name, key_hash(env, &k))->state == SLOT_EMPTY))
        return false;
    int found = -1;
    const dw_env *at = env;
    for (; at; at = at->parent)
        if ((found = own_answer(at, &k, &v)) >= 0) break;
    if (found < 0) found = 0;
    /* remember the answer in the linked environments passed on the way,
     * so that the next look-up from below stops at the first of them */
    for (const dw_env *e = env; e != at && e->parent && e->arena; e = e->parent) {
        dw_env *m = (dw_env *)e; /* the indexes are caches */
        env_slot *sl = ix_put(m->arena, m, own_index(m), name, key_hash(m, &k));
        sl->state = found ? SLOT_INHERITED : SLOT_ABSENT;
        sl->value = v;
    }
    if (found && value) *value = v;
    return found != 0;
}

/* ---- name sets (matched / unmatched) ---------------------------------- */

/* A hash index over a dw_names vector, built once the vector is large, so
 * that recording k distinct names costs O(k) rather than O(k^2). Slots hold
 * index + 1; 0 is empty. */
typedef struct {
    uint32_t *slots;
    uint32_t cap; /* power of two, or 0 when not built */
} name_index;

static uint32_t name_hash(dw_str s) { return dw_hash(s.ptr, s.len); }

/* Puts entry `idx` of `set` into the index (no duplicate check). */
static void index_insert(name_index *ix, const dw_names *set, uint32_t idx)
{
    uint32_t mask = ix->cap - 1, h = name_hash(set->v[idx]) & mask;
    while (ix->slots[h]) h = (h + 1) & mask;
    ix->slots[h] = idx + 1;
}

/* (Re)builds the index with room for at least `need` entries at half load. */
static void index_rebuild(name_index *ix, const dw_names *set, uint32_t need)
{
    uint32_t cap = 64;
    while (cap < need * 2) {
        if (cap > UINT32_MAX / 2) dw_oom();
        cap *= 2;
    }
    free(ix->slots);
    ix->slots = dw_xmalloc((size_t)cap * sizeof *ix->slots);
    memset(ix->slots, 0, (size_t)cap * sizeof *ix->slots);
    ix->cap = cap;
    for (uint32_t i = 0; i < set->n; i++) index_insert(ix, set, i);
}

/* Adds a copy of `name` to `set` unless it is already there. Small sets are
 * searched linearly; larger ones through the hash index. */
static void names_add(dw_arena *a, dw_names *set, name_index *ix, dw_str name)
{
    if (!set) return;
    if (set->n < 16 && !ix->cap) {
        for (uint32_t i = 0; i < set->n; i++)
            if (dw_str_eq(set->v[i], name)) return;
    } else {
        if (!ix->cap || (set->n + 1) * 2 > ix->cap) index_rebuild(ix, set, set->n + 1);
        uint32_t mask = ix->cap - 1, h = name_hash(name) & mask;
        for (; ix->slots[h]; h = (h + 1) & mask)
            if (dw_str_eq(set->v[ix->slots[h] - 1], name)) return;
    }
    dw_str copy = dw_str_dup(a, name);
    DW_VEC_PUSH(a, *set, copy);
    if (ix->cap) index_insert(ix, set, set->n - 1);
}

/* ---- lexer state ------------------------------------------------------ */

/* The words being built by ProcessWords (only for the outermost scan). */
typedef struct {
    dw_arena *a;
    dw_buf cur;    /* the partial word */
    bool in_word;
    dw_str *v;     /* finished words, in the arena */
    uint32_t n, cap;
} words;

/* One ProcessWord / ProcessWords call: the scanner over the input and the
 * settings and results shared by the nested scans. */
typedef struct {
    dw_arena *a;
    const dw_lexer *lx;
    const dw_env *env;
    const char *src;
    size_t len, pos;
    int32_t escape;
    bool raw_escapes;       /* current value; nested scans change it */
    dw_names *matched, *unmatched;
    name_index mix, uix;
    const char *err;
    unsigned depth;         /* ${...} nesting */
    unsigned long scans;    /* number of process_stop_on runs so far */
} shell_word;

/* Records an error message (in the arena) and returns -1. */
static int fail(shell_word *sw, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(shell_word *sw, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sw->err = dw_arena_vprintf(sw->a, fmt, ap);
    va_end(ap);
    return -1;
}

/* Records the error a + x + b + y + c, where x and y are text from the
 * input; a NUL byte in them is written as \x00 so that the message
 * stays one C string. Returns -1. */
static int fail_text(shell_word *sw, const char *a, dw_str x, const char *b, dw_str y,
                     const char *c)
{
    dw_buf m = {0};
    const dw_str parts[2] = {x, y};
    const char *lits[3] = {a, b, c};
    for (int i = 0; i < 3; i++) {
        dw_buf_puts(&m, lits[i]);
        if (i == 2) break;
        for (size_t k = 0; k < parts[i].len; k++) {
            if (parts[i].ptr[k]) dw_buf_putc(&m, parts[i].ptr[k]);
            else dw_buf_puts(&m, "\\x00");
        }
    }
    sw->err = dw_arena_memdup(sw->a, m.p, m.n);
    dw_buf_free(&m);
    return -1;
}

/* Records "unsupported modifier (ops) in substitution". Returns -1. */
static int fail_modifier(shell_word *sw, dw_str ops)
{
    return fail_text(sw, "unsupported modifier (", ops, ") in substitution", dw_str_make("", 0), "");
}

/* The code point at the read position, without consuming it; CH_EOF at the
 * end. */
static int32_t peek(const shell_word *sw)
{
    if (sw->pos >= sw->len) return CH_EOF;
    int w;
    return decode_at(sw->src + sw->pos, sw->len - sw->pos, &w);
}

/* Consumes and returns the code point at the read position; CH_EOF at the
 * end (and then nothing is consumed). */
static int32_t next(shell_word *sw)
{
    if (sw->pos >= sw->len) return CH_EOF;
    int w;
    int32_t c = decode_at(sw->src + sw->pos, sw->len - sw->pos, &w);
    sw->pos += (size_t)w;
    return c;
}

/* Looks a variable up and records its name as matched or unmatched.
 * Returns true when it is set; *value is "" when it is not. */
static bool get_env(shell_word *sw, dw_str name, dw_str *value)
{
    *value = dw_str_make("", 0);
    bool found = dw_env_get(sw->env, name, value);
    if (found) names_add(sw->a, sw->matched, &sw->mix, name);
    else names_add(sw->a, sw->unmatched, &sw->uix, name);
    return found;
}

/* Copies the run of ASCII bytes at the read position that are none of
 * `a`..`d`, the escape character and `stop` to out, all at once: such bytes
 * would each be read and written unchanged. */
static void copy_plain_run(shell_word *sw, dw_buf *out, char a, char b, char c, char d, int32_t stop)
{
    size_t i = sw->pos;
    while (i < sw->len) {
        unsigned char x = (unsigned char)sw->src[i];
        if (x >= 0x80 || x == (unsigned char)a || x == (unsigned char)b || x == (unsigned char)c ||
            x == (unsigned char)d || (int32_t)x == sw->escape || (int32_t)x == stop)
            break;
        i++;
    }
    if (i > sw->pos) {
        dw_buf_put(out, sw->src + sw->pos, i - sw->pos);
        sw->pos = i;
    }
}

/* ---- word splitting --------------------------------------------------- */

/* Ends the current word and stores it, when it is not empty. */
static void words_flush(words *w)
{
    if (w->cur.n > 0) {
        dw_str s = dw_str_dup(w->a, buf_view(&w->cur));
        DW_VEC_PUSH(w->a, *w, s);
    }
    w->cur.n = 0;
    w->in_word = false;
}

/* Adds one unquoted code point: white space ends a non-empty word, other
 * characters extend it. */
static void words_add_char(words *w, int32_t c)
{
    if (dw_unicode_is_space((uint32_t)c)) {
        if (w->in_word && w->cur.n > 0) words_flush(w);
    } else {
        put_rune(&w->cur, c);
        w->in_word = true;
    }
}

/* Adds one code point that never separates words (escaped). */
static void words_add_raw_char(words *w, int32_t c)
{
    put_rune(&w->cur, c);
    w->in_word = true;
}

/* Adds text from an unquoted variable: its white space separates words. */
static void words_add_string(words *w, const char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        int width;
        int32_t c = decode_at(p + i, n - i, &width);
        words_add_char(w, c);
        i += (size_t)width;
    }
}

/* Adds quoted text: it is part of the current word as is, even when empty. */
static void words_add_raw_string(words *w, const char *p, size_t n)
{
    if (n) dw_buf_put(&w->cur, p, n);
    w->in_word = true;
}

/* ---- the scanner proper ----------------------------------------------- */

static int process_stop_on(shell_word *sw, int32_t stop, bool raw_escapes, dw_buf *out, words *w);
static int process_dollar(shell_word *sw, dw_buf *out);

/* '...' : everything up to the next single quote is literal. The quotes
 * are kept with raw_quotes. Unterminated is an error. */
static int process_single_quote(shell_word *sw, dw_buf *out)
{
    int32_t c = next(sw);
    if (sw->lx->raw_quotes) put_rune(out, c);
    for (;;) {
        copy_plain_run(sw, out, '\'', '\'', '\'', '\'', '\'');
        c = next(sw);
        if (c == CH_EOF)
            return fail(sw, "unexpected end of statement while looking for matching single-quote");
        if (c == '\'') {
            if (sw->lx->raw_quotes) put_rune(out, c);
            return 0;
        }
        put_rune(out, c);
    }
}

/* "..." : $ expansions are processed; the escape character escapes only
 * '"', '$' and itself and is otherwise kept; an escape right before the end
 * of the input is dropped. Unterminated is an error. */
static int process_double_quote(shell_word *sw, dw_buf *out)
{
    int32_t c = next(sw);
    if (sw->lx->raw_quotes) put_rune(out, c);
    for (;;) {
        copy_plain_run(sw, out, '"', '$', '"', '"', '"');
        c = peek(sw);
        if (c == CH_EOF)
            return fail(sw, "unexpected end of statement while looking for matching double-quote");
        if (c == '"') {
            next(sw);
            if (sw->lx->raw_quotes) put_rune(out, c);
            return 0;
        }
        if (c == '$') {
            if (process_dollar(sw, out)) return -1;
            continue;
        }
        c = next(sw);
        if (c == sw->escape) {
            if (sw->raw_escapes) put_rune(out, c);
            int32_t after = peek(sw);
            if (after == CH_EOF) continue; /* dropped; the loop reports the missing quote */
            if (after == '"' || after == '$' || after == sw->escape) c = next(sw);
        }
        put_rune(out, c);
    }
}

/* '<' : passed through, except that "<<" takes the blanks (space, tab, CR)
 * after it along, so that ProcessWords keeps "<< EOF" as one word. */
static int process_heredoc_op(shell_word *sw, dw_buf *out)
{
    next(sw);
    if (peek(sw) != '<') {
        dw_buf_putc(out, '<');
        return 0;
    }
    next(sw);
    dw_buf_put(out, "<<", 2);
    int32_t c;
    while ((c = peek(sw)) == ' ' || c == '\t' || c == '\r') put_rune(out, next(sw));
    return 0;
}

/* Reads a variable name at the read position: all decimal digits when it
 * starts with one, a single special parameter character, or a run of
 * letters, digits and '_'. Returns a view into the input (possibly empty). */
static dw_str process_name(shell_word *sw)
{
    size_t start = sw->pos;
    int32_t c = peek(sw);
    if (is_digit(c)) {
        while (is_digit(peek(sw))) next(sw);
    } else if (is_special_param(c)) {
        next(sw);
    } else {
        while ((c = peek(sw)) != CH_EOF && (is_letter(c) || is_digit(c) || c == '_')) next(sw);
    }
    return dw_str_make(sw->src + start, sw->pos - start);
}

/* ---- glob patterns ---------------------------------------------------- */

/* A compiled pattern is a sequence of atoms; position np is "match". */
enum { AT_LIT, AT_ANY, AT_STAR };
typedef struct {
    uint8_t kind;
    int32_t ch; /* AT_LIT */
} atom;

/* A string decoded into code points (invalid bytes are U+FFFD), with the
 * byte offset of each one; off[n] is the byte length. */
typedef struct {
    int32_t *r;
    size_t *off;
    size_t n;
} runes;

/* Decodes p[0..n) into code points. Free with runes_free. */
static runes runes_decode(const char *p, size_t n)
{
    runes rs;
    rs.r = dw_xmalloc((n + 1) * sizeof *rs.r);
    rs.off = dw_xmalloc((n + 1) * sizeof *rs.off);
    rs.n = 0;
    size_t i = 0;
    while (i < n) {
        int w;
        rs.r[rs.n] = decode_at(p + i, n - i, &w);
        rs.off[rs.n++] = i;
        i += (size_t)w;
    }
    rs.off[rs.n] = n;
    return rs;
}

/* Frees what runes_decode allocated. */
static void runes_free(runes *rs)
{
    free(rs->r);
    free(rs->off);
    rs->r = NULL;
    rs->off = NULL;
}

/* Translates pattern code points into atoms: '*' any run, '?' any one,
 * "\*" "\?" "\\" literals, "\}" and "\/" the plain characters; a leading
 * U+FEFF is skipped (Go's scanner does). Returns 0, or -1 with *bad set to
 * the character after a backslash that may not be escaped (CH_EOF when the
 * backslash ends the pattern). *out must hold n atoms. */
static int compile_pattern(const int32_t *p, size_t n, atom *out, size_t *nout, int32_t *bad)
{
    size_t i = 0, k = 0;
    if (n > 0 && p[0] == 0xFEFF) i = 1;
    while (i < n) {
        int32_t c = p[i++];
        if (c == '*') {
            out[k++] = (atom){AT_STAR, 0};
        } else if (c == '?') {
            out[k++] = (atom){AT_ANY, 0};
        } else if (c == '\\') {
            if (i < n && (p[i] == '}' || p[i] == '/')) continue; /* next round takes it literally */
            c = i < n ? p[i++] : CH_EOF;
            if (c != '*' && c != '?' && c != '\\') {
                *bad = c;
                return -1;
            }
            out[k++] = (atom){AT_LIT, c};
        } else {
            out[k++] = (atom){AT_LIT, c};
        }
    }
    *nout = k;
    return 0;
}

/* A Pike VM for a compiled pattern, giving the leftmost-first match of Go's
 * regexp for the translated expression. Threads are pattern positions
 * (0..np, np meaning "matched") with the input position they started at. */
typedef struct {
    const atom *p;
    size_t np;
    bool greedy;
    size_t *pc[2], *start[2]; /* two thread lists, np + 1 entries each */
    size_t cnt[2];
    unsigned long *mark;      /* generation stamp per position: already in the list */
    unsigned long gen;
} glob_vm;

/* Prepares a VM for pattern p (np atoms). Free with vm_free. */
static void vm_init(glob_vm *vm, const atom *p, size_t np, bool greedy)
{
    vm->p = p;
    vm->np = np;
    vm->greedy = greedy;
    for (int i = 0; i < 2; i++) {
        vm->pc[i] = dw_xmalloc((np + 1) * sizeof(size_t));
        vm->start[i] = dw_xmalloc((np + 1) * sizeof(size_t));
        vm->cnt[i] = 0;
    }
    vm->mark = dw_xmalloc((np + 1) * sizeof *vm->mark);
    memset(vm->mark, 0, (np + 1) * sizeof *vm->mark);
    vm->gen = 0;
}

/* Frees the VM's lists. */
static void vm_free(glob_vm *vm)
{
    for (int i = 0; i < 2; i++) {
        free(vm->pc[i]);
        free(vm->start[i]);
    }
    free(vm->mark);
}

/* Appends thread (pc, start) to list q. */
static void vm_push(glob_vm *vm, int q, size_t pc, size_t start)
{
    size_t j = vm->cnt[q]++;
    vm->pc[q][j] = pc;
    vm->start[q][j] = start;
}

/* Adds the threads reachable from position pc without consuming input to
 * list q, in priority order. A '*' offers "one more character" before
 * "done" when greedy and the other way round when not; positions already in
 * the list (reached with higher priority) are not added again. */
static void vm_add(glob_vm *vm, int q, size_t pc, size_t start)
{
    const atom *p = vm->p;
    size_t np = vm->np;
    if (vm->greedy) {
        for (; pc < np && p[pc].kind == AT_STAR; pc++) {
            if (vm->mark[pc] == vm->gen) return;
            vm->mark[pc] = vm->gen;
            vm_push(vm, q, pc, start);
        }
        if (vm->mark[pc] == vm->gen) return;
        vm->mark[pc] = vm->gen;
        vm_push(vm, q, pc, start);
        return;
    }
    size_t k = pc;
    while (k < np && p[k].kind == AT_STAR && vm->mark[k] != vm->gen) vm->mark[k++] = vm->gen;
    if ((k == np || p[k].kind != AT_STAR) && vm->mark[k] != vm->gen) {
        vm->mark[k] = vm->gen;
        vm_push(vm, q, k, start);
    }
    while (k > pc) vm_push(vm, q, --k, start);
}

/* Searches s[from..n) for the leftmost-first match. anchored: the match
 * must start at `from`. Returns true and sets [*ms, *me) (code point
 * indexes) when found. */
static bool vm_find(glob_vm *vm, const int32_t *s, size_t n, size_t from, bool anchored,
                    size_t *ms, size_t *me)
{
    int cur = 0;
    bool matched = false;
    vm->cnt[0] = vm->cnt[1] = 0;
    vm->gen++;
    for (size_t pos = from;; pos++) {
        if (vm->cnt[cur] == 0 && (matched || (anchored && pos != from))) break;
        if (!matched && (!anchored || pos == from)) vm_add(vm, cur, 0, pos);
        int nxt = 1 - cur;
        vm->cnt[nxt] = 0;
        vm->gen++; /* marks now describe list nxt */
        int32_t c = pos < n ? s[pos] : CH_EOF;
        for (size_t j = 0; j < vm->cnt[cur]; j++) {
            size_t pc = vm->pc[cur][j], st = vm->start[cur][j];
            if (pc == vm->np) {
                *ms = st;
                *me = pos;
                matched = true;
                break; /* lower-priority threads are cut off */
            }
            if (c == CH_EOF) continue;
            const atom *a = &vm->p[pc];
            if (a->kind == AT_LIT ? c == a->ch : c != '\n')
                vm_add(vm, nxt, a->kind == AT_STAR ? pc : pc + 1, st);
        }
        vm->cnt[cur] = 0;
        cur = nxt;
        if (pos >= n) break;
    }
    return matched;
}

/* Reports a pattern that cannot be used, the way upstream words it:
 * `shown` is the pattern as upstream prints it (raw bytes, or for a suffix
 * the reversed pattern re-encoded from code points when shown is NULL). */
static int fail_pattern(shell_word *sw, const dw_str *shown, const int32_t *p, size_t n,
                        int32_t bad)
{
    dw_buf b = {0}, tail = {0};
    if (shown) put_str(&b, *shown);
    else
        for (size_t i = 0; i < n; i++) put_rune(&b, p[i]);
    put_rune(&tail, bad);
    fail_text(sw, "invalid pattern (", buf_view(&b), ") in substitution: invalid escape '\\",
              buf_view(&tail), "'");
    dw_buf_free(&b);
    dw_buf_free(&tail);
    return -1;
}

/* ${v#p} / ${v##p} and ${v%p} / ${v%%p}: removes the shortest (greedy:
 * longest) prefix, or suffix when `suffix`, of value matching pattern.
 * A suffix is found as upstream does, by reversing the value and the pattern
 * (keeping each backslash before the character it escapes); the result is
 * then re-encoded (invalid bytes become U+FFFD), as upstream's is. */
static int trim_match(shell_word *sw, dw_buf *out, dw_str pattern, dw_str value, bool greedy,
                      bool suffix)
{
    runes pr = runes_decode(pattern.ptr, pattern.len);
    runes vr = runes_decode(value.ptr, value.len);
    if (suffix) {
        int32_t *rp = dw_xmalloc((pr.n + 1) * sizeof *rp);
        size_t last = pr.n ? pr.n - 1 : 0;
        for (size_t i = 0; i < pr.n;) {
            size_t o = last - i;
            if (pr.r[i] == '\\' && i != last) {
                rp[o - 1] = '\\';
                rp[o] = pr.r[i + 1];
                i += 2;
            } else {
                rp[o] = pr.r[i];
                i++;
            }
        }
        free(pr.r);
        pr.r = rp;
        for (size_t i = 0, j = vr.n; i < j--; i++) {
            int32_t t = vr.r[i];
            vr.r[i] = vr.r[j];
            vr.r[j] = t;
        }
    }
    atom *at = dw_xmalloc((pr.n + 1) * sizeof *at);
    size_t nat = 0;
    int32_t bad = 0;
    int rc = 0;
    if (compile_pattern(pr.r, pr.n, at, &nat, &bad)) {
        rc = fail_pattern(sw, suffix ? NULL : &pattern, pr.r, pr.n, bad);
    } else {
        glob_vm vm;
        vm_init(&vm, at, nat, greedy);
        size_t ms = 0, me = 0;
        bool found = vm_find(&vm, vr.r, vr.n, 0, true, &ms, &me);
        vm_free(&vm);
        size_t cut = found ? me : 0;
        if (suffix) {
            for (size_t i = vr.n; i-- > cut;) put_rune(out, vr.r[i]);
        } else if (cut < vr.n) {
            dw_buf_put(out, value.ptr + vr.off[cut], value.len - vr.off[cut]);
        }
    }
    free(at);
    runes_free(&pr);
    runes_free(&vr);
    return rc;
}

/* Appends the replacement template of a replace-all, expanded the way Go's
 * Regexp.ReplaceAllString expands it: "$$" is '$', "$0" / "${0}" the
 * matched text, any other "$name" / "${name}" nothing (the expression has no
 * groups), and a '$' not followed by a name is kept. */
static void expand_template(dw_buf *out, dw_str t, dw_str match)
{
    size_t i = 0;
    while (i < t.len) {
        const char *d = memchr(t.ptr + i, '$', t.len - i);
        if (!d) break;
        size_t at = (size_t)(d - t.ptr);
        dw_buf_put(out, t.ptr + i, at - i);
        i = at + 1;
        if (i < t.len && t.ptr[i] == '$') {
            dw_buf_putc(out, '$');
            i++;
            continue;
        }
        bool brace = i < t.len && t.ptr[i] == '{';
        size_t j = i + (brace ? 1 : 0), k = j;
        while (k < t.len) {
            int w;
            int32_t c = decode_at(t.ptr + k, t.len - k, &w);
            if (!is_letter(c) && !is_digit(c) && c != '_') break;
            k += (size_t)w;
        }
        if (k == j || (brace && (k >= t.len || t.ptr[k] != '}'))) {
            dw_buf_putc(out, '$'); /* malformed: the '$' is text */
            continue;
        }
        bool group0 = k - j == 1 && t.ptr[j] == '0';
        i = brace ? k + 1 : k;
        if (group0) put_str(out, match);
    }
    if (i < t.len) dw_buf_put(out, t.ptr + i, t.len - i);
}

/* ${v/p/r} and ${v//p/r}: replaces the first (longest) match of the
 * pattern, or every match, with r. A replace-all steps through the value as
 * Go's ReplaceAllString does (an empty match right after a match is not
 * replaced; the search always advances). */
static int replace_match(shell_word *sw, dw_buf *out, dw_str pattern, dw_str repl, dw_str value,
                         bool all)
{
    runes pr = runes_decode(pattern.ptr, pattern.len);
    atom *at = dw_xmalloc((pr.n + 1) * sizeof *at);
    size_t nat = 0;
    int32_t bad = 0;
    int rc = 0;
    if (compile_pattern(pr.r, pr.n, at, &nat, &bad)) {
        rc = fail_pattern(sw, &pattern, pr.r, pr.n, bad);
        free(at);
        runes_free(&pr);
        return rc;
    }
    runes vr = runes_decode(value.ptr, value.len);
    glob_vm vm;
    vm_init(&vm, at, nat, true);
    size_t ms = 0, me = 0;
    if (!all) {
        if (vm_find(&vm, vr.r, vr.n, 0, false, &ms, &me)) {
            dw_buf_put(out, value.ptr, vr.off[ms]);
            put_str(out, repl);
            dw_buf_put(out, value.ptr + vr.off[me], value.len - vr.off[me]);
        } else {
            put_str(out, value);
        }
    } else {
        size_t search = 0, last_end = 0;
        while (search <= vr.n && vm_find(&vm, vr.r, vr.n, search, false, &ms, &me)) {
            dw_buf_put(out, value.ptr + vr.off[last_end], vr.off[ms] - vr.off[last_end]);
            dw_str match = dw_str_make(value.ptr + vr.off[ms], vr.off[me] - vr.off[ms]);
            if (me > last_end || ms == 0) expand_template(out, repl, match);
            last_end = me;
            search = me > search ? me : search + 1;
        }
        dw_buf_put(out, value.ptr + vr.off[last_end], value.len - vr.off[last_end]);
    }
    vm_free(&vm);
    free(at);
    runes_free(&vr);
    runes_free(&pr);
    return rc;
}

/* ---- $ expansions ----------------------------------------------------- */

/* Appends "${" name op word "}" — what skip_unset_env leaves for an unset
 * variable with a modifier. */
static void put_unexpanded(dw_buf *out, dw_str name, dw_str op, dw_str word, dw_str tail)
{
    dw_buf_put(out, "${", 2);
    put_str(out, name);
    put_str(out, op);
    put_str(out, word);
    put_str(out, tail);
    dw_buf_putc(out, '}');
}

/* The one-character operators of ${name<op>word}. */
static bool is_modifier(int32_t op)
{
    return op == '+' || op == '-' || op == '?' || op == '#' || op == '%';
}

/* ${name<op>word} for op one of - + ? # % (and their ':' forms, in `ops`,
 * whose last character is `op`): reads word up to '}' (escapes kept for #
 * and %), then applies the operator to the variable. */
static int process_modifier(shell_word *sw, dw_buf *out, dw_str name, int32_t op, dw_str ops,
                            bool null_is_unset)
{
    bool pattern = op == '#' || op == '%';
    if (null_is_unset && pattern)
        return fail_modifier(sw, ops);
    dw_buf wb = {0};
    int rc = 0;
    if (process_stop_on(sw, '}', pattern, &wb, NULL)) {
        if (peek(sw) == CH_EOF) fail(sw, "syntax error: missing '}'");
        dw_buf_free(&wb);
        return -1;
    }
    dw_str word = buf_view(&wb), value;
    bool set = get_env(sw, name, &value);
    bool empty = !set || (null_is_unset && value.len == 0);
    if (sw->lx->skip_unset_env && !set) {
        put_unexpanded(out, name, ops, word, dw_str_make("", 0));
    } else if (op == '-') {
        put_str(out, empty ? word : value);
    } else if (op == '+') {
        if (!empty) put_str(out, word);
    } else if (op == '?') {
        if (empty) {
            dw_str msg = dw_str_c(set ? "is not allowed to be empty"
                                      : "is not allowed to be unset");
            rc = fail_text(sw, "", name, ": ", word.len ? word : msg, "");
        } else {
            put_str(out, value);
        }
    } else if (pattern) {
        bool greedy = word.len > 0 && word.ptr[0] == (char)op;
        if (greedy) word = dw_str_sub(word, 1, word.len);
        rc = trim_match(sw, out, word, value, greedy, op == '%');
    } else {
        rc = fail_modifier(sw, ops);
    }
    dw_buf_free(&wb);
    return rc;
}

/* ${name/pattern/replacement} and ${name//pattern/replacement}. */
static int process_replace(shell_word *sw, dw_buf *out, dw_str name)
{
    bool all = peek(sw) == '/';
    if (all) next(sw);
    dw_buf pb = {0}, rb = {0};
    int rc = -1;
    if (process_stop_on(sw, '/', true, &pb, NULL)) {
        if (peek(sw) == CH_EOF) fail(sw, "syntax error: missing '/' in ${}");
        goto done;
    }
    if (process_stop_on(sw, '}', true, &rb, NULL)) {
        if (peek(sw) == CH_EOF) fail(sw, "syntax error: missing '}'");
        goto done;
    }
    dw_str value;
    bool set = get_env(sw, name, &value);
    if (sw->lx->skip_unset_env && !set) {
        dw_buf tail = {0};
        dw_buf_putc(&tail, '/');
        put_str(&tail, buf_view(&rb));
        put_unexpanded(out, name, dw_str_make("/", 1), buf_view(&pb), buf_view(&tail));
        dw_buf_free(&tail);
        rc = 0;
        goto done;
    }
    rc = replace_match(sw, out, buf_view(&pb), buf_view(&rb), value, all);
done:
    dw_buf_free(&pb);
    dw_buf_free(&rb);
    return rc;
}

/* $name, ${name} and ${name<modifier>...}: appends the expansion to out.
 * A '$' not followed by a name is literal. */
static int process_dollar(shell_word *sw, dw_buf *out)
{
    next(sw); /* '$' */
    if (peek(sw) != '{') {
        dw_str name = process_name(sw);
        if (name.len == 0) {
            dw_buf_putc(out, '$');
            return 0;
        }
        dw_str value;
        if (!get_env(sw, name, &value) && sw->lx->skip_unset_env) {
            dw_buf_putc(out, '$');
            put_str(out, name);
        } else {
            put_str(out, value);
        }
        return 0;
    }
    next(sw); /* '{' */
    int32_t c = peek(sw);
    if (c == CH_EOF) return fail(sw, "syntax error: missing '}'");
    if (c == '{' || c == '}' || c == ':') return fail(sw, "syntax error: bad substitution");
    dw_str name = process_name(sw);
    int32_t op = next(sw);
    dw_buf ops = {0};
    put_rune(&ops, op);
    int rc;
    if (op == '}') {
        dw_str value;
        if (!get_env(sw, name, &value) && sw->lx->skip_unset_env)
            put_unexpanded(out, name, dw_str_make("", 0), dw_str_make("", 0), dw_str_make("", 0));
        else
            put_str(out, value);
        rc = 0;
    } else if (op == ':' || op == '/' || is_modifier(op)) {
        if (++sw->depth > DW_LEX_MAX_NESTING) {
            rc = fail(sw, "variable substitutions nested more than %d deep", DW_LEX_MAX_NESTING);
        } else if (op == '/') {
            rc = process_replace(sw, out, name);
        } else {
            bool null_is_unset = op == ':';
            if (null_is_unset) {
                op = next(sw);
                put_rune(&ops, op);
            }
            rc = process_modifier(sw, out, name, op, buf_view(&ops), null_is_unset);
        }
        sw->depth--;
    } else {
        rc = fail_modifier(sw, buf_view(&ops));
    }
    dw_buf_free(&ops);
    return rc;
}

/* Scans until `stop` (consumed) or, when stop is CH_EOF, the end of the
 * input, appending the processed text to out: quotes, $ expansions and
 * escapes are handled, everything else is copied. raw_escapes applies for
 * the duration of the scan. w, when not NULL, receives the words. Reaching
 * the end while looking for `stop` is an error. */
static int process_stop_on(shell_word *sw, int32_t stop, bool raw_escapes, dw_buf *out, words *w)
{
    bool saved = sw->raw_escapes;
    bool quotes = !sw->lx->skip_process_quotes;
    int rc = -1;
    sw->raw_escapes = raw_escapes;
    sw->scans++;
    for (;;) {
        /* word splitting looks at every character; a plain scan need not */
        if (!w) copy_plain_run(sw, out, '$', '<', '\'', '"', stop);
        int32_t c = peek(sw);
        if (c == CH_EOF) break;
        if (stop != CH_EOF && c == stop) {
            next(sw);
            rc = 0;
            goto done;
        }
        if (c == '$' || c == '<' || (quotes && (c == '\'' || c == '"'))) {
            size_t mark = out->n;
            unsigned long scans = sw->scans;
            int r = c == '$'    ? process_dollar(sw, out)
                    : c == '<'  ? process_heredoc_op(sw, out)
                    : c == '\'' ? process_single_quote(sw, out)
                                : process_double_quote(sw, out);
            if (r) goto done;
            if (w) {
                /* upstream's nested scans share and reset the partial word */
                if (sw->scans != scans) w->cur.n = 0;
                if (c == '$') {
                    if (out->n > mark) words_add_string(w, out->p + mark, out->n - mark);
                } else {
                    words_add_raw_string(w, out->n > mark ? out->p + mark : "", out->n - mark);
                }
            }
            continue;
        }
        c = next(sw);
        if (c == sw->escape) {
            if (sw->raw_escapes) {
                if (w) words_add_raw_char(w, c);
                put_rune(out, c);
            }
            c = next(sw);
            if (c == CH_EOF) break; /* a trailing escape is dropped */
            if (w) words_add_raw_char(w, c);
        } else if (w) {
            words_add_char(w, c);
        }
        put_rune(out, c);
    }
    if (stop != CH_EOF) {
        dw_buf s = {0};
        put_rune(&s, stop);
        fail(sw, "unexpected end of statement while looking for matching %.*s", (int)s.n, s.p);
        dw_buf_free(&s);
        goto done;
    }
    rc = 0;
done:
    sw->raw_escapes = saved;
    if (rc == 0 && w) words_flush(w);
    return rc;
}

/* ---- entry points ----------------------------------------------------- */

/* Sets up the state for one call over `word`. */
static void shell_word_init(shell_word *sw, dw_arena *a, const dw_lexer *lx, dw_str word,
                            const dw_env *env, dw_names *matched, dw_names *unmatched)
{
    memset(sw, 0, sizeof *sw);
    sw->a = a;
    sw->lx = lx;
    sw->env = env;
    sw->src = word.len ? word.ptr : "";
    sw->len = word.len;
    if (sw->len >= 3 && memcmp(sw->src, "\xEF\xBB\xBF", 3) == 0) sw->pos = 3; /* BOM */
    sw->escape = lx->escape ? (int32_t)(unsigned char)lx->escape : '\\';
    sw->raw_escapes = lx->raw_escapes;
    sw->matched = matched;
    sw->unmatched = unmatched;
}

/* Frees the scratch memory of a call. */
static void shell_word_done(shell_word *sw)
{
    free(sw->mix.slots);
    free(sw->uix.slots);
}

/* ProcessWordWithMatches: see shell_lex.h. */
int dw_lex_process_word(dw_arena *a, const dw_lexer *lx, dw_str word, const dw_env *env,
                        dw_str *out, dw_names *matched, dw_names *unmatched, const char **err)
{
    shell_word sw;
    shell_word_init(&sw, a, lx, word, env, matched, unmatched);
    dw_buf res = {0};
    int rc = process_stop_on(&sw, CH_EOF, lx->raw_escapes, &res, NULL);
    if (out) *out = rc == 0 ? dw_str_dup(a, buf_view(&res)) : dw_str_make("", 0);
    if (err) *err = rc == 0 ? NULL : sw.err;
    dw_buf_free(&res);
    shell_word_done(&sw);
    return rc;
}

static bool ascii_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool ascii_name_char(char c) { return ascii_name_start(c) || (c >= '0' && c <= '9'); }

/* The common shapes of a word, expanded without the scanner: ASCII text
 * with $NAME, ${NAME}, "..." around such text and '...' around plain text.
 * Returns false, for the scanner to read the word, on anything else (the
 * escape character, '<', other $ forms, non-ASCII bytes, unterminated
 * quotes) and for lexers with any option set. */
static bool expand_simple(const dw_lexer *lx, dw_str word, const dw_env *env, dw_buf *out)
{
    if (lx->raw_quotes || lx->raw_escapes || lx->skip_unset_env || lx->skip_process_quotes) return false;
    char esc = lx->escape ? lx->escape : '\\';
    const char *s = word.ptr;
    size_t n = word.len, i = 0, run = 0;
    bool dq = false;
    while (i < n) {
        char c = s[i];
        if ((unsigned char)c >= 0x80 || c == esc || (c == '<' && !dq)) return false;
        if (c != '"' && c != '$' && (c != '\'' || dq)) {
            i++;
            continue;
        }
        if (i > run) dw_buf_put(out, s + run, i - run);
        if (c == '"') {
            dq = !dq;
            run = ++i;
        } else if (c == '\'') { /* outside double quotes: literal up to the next one */
            size_t e = i + 1;
            while (e < n && s[e] != '\'' && (unsigned char)s[e] < 0x80) e++;
            if (e >= n || s[e] != '\'') return false;
            dw_buf_put(out, s + i + 1, e - i - 1);
            run = i = e + 1;
        } else { /* $NAME or ${NAME} */
            bool brace = i + 1 < n && s[i + 1] == '{';
            size_t st = i + 1 + brace, e = st;
            if (e >= n || !ascii_name_start(s[e])) return false;
            while (e < n && ascii_name_char(s[e])) e++;
            if (brace ? e >= n || s[e] != '}' : e < n && (unsigned char)s[e] >= 0x80) return false;
            dw_str value;
            if (dw_env_get(env, dw_str_make(s + st, e - st), &value) && value.len) dw_buf_put(out, value.ptr, value.len);
            run = i = e + brace;
        }
    }
    if (dq) return false; /* unterminated: the scanner reports it */
    if (n > run) dw_buf_put(out, s + run, n - run);
    return true;
}

/* dw_lex_process_word for the parser: see shell_lex.h. */
int dw_lex_expand(dw_arena *a, const dw_lexer *lx, dw_str word, const dw_env *env, dw_buf *scratch, dw_str *out,
                  const char **err)
{
    shell_word sw;
    scratch->n = 0;
    int rc = 0;
    sw.err = NULL;
    bool simple = expand_simple(lx, word, env, scratch);
    if (!simple) {
        scratch->n = 0;
        shell_word_init(&sw, a, lx, word, env, NULL, NULL);
        rc = process_stop_on(&sw, CH_EOF, lx->raw_escapes, scratch, NULL);
    }
    if (rc == 0) {
        dw_str r = buf_view(scratch);
        /* the word itself, or the word without its quotes: a view will do */
        if (r.len <= word.len && (r.len == 0 || memcmp(word.ptr, r.ptr, r.len) == 0))
            *out = dw_str_make(word.ptr, r.len);
        else if (r.len + 1 < word.len && memcmp(word.ptr + 1, r.ptr, r.len) == 0)
            *out = dw_str_make(word.ptr + 1, r.len);
        else
            *out = dw_str_dup(a, r);
    } else {
        *out = dw_str_make("", 0);
    }
    if (err) *err = rc == 0 ? NULL : sw.err;
    if (!simple) shell_word_done(&sw);
    return rc;
}

/* ProcessWords: see shell_lex.h. The word list lives in the arena. */
int dw_lex_process_words(dw_arena *a, const dw_lexer *lx, dw_str word, const dw_env *env,
                         dw_str **words_out, uint32_t *nwords, const char **err)
{
    shell_word sw;
    shell_word_init(&sw, a, lx, word, env, NULL, NULL);
    words w;
    memset(&w, 0, sizeof w);
    w.a = a;
    dw_buf res = {0};
    int rc = process_stop_on(&sw, CH_EOF, lx->raw_escapes, &res, &w);
    if (words_out) *words_out = rc == 0 ? w.v : NULL;
    if (nwords) *nwords = rc == 0 ? w.n : 0;
    if (err) *err = rc == 0 ? NULL : sw.err;
    dw_buf_free(&res);
    dw_buf_free(&w.cur);
    shell_word_done(&sw);
    return rc;
}
