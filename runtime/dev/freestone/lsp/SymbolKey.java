package dev.freestone.lsp;

/**
 * What makes two symbols the same across separate checks (each check has its own symbol instances):
 * the module that declares it and the offset of its declared name. Symbols without a place in a file
 * (built-ins, {@code run}) have no key.
 */
record SymbolKey(String module, int offset) {
}
