/*
 * The lexer of the .pipe language: the single source of truth for its tokens.
 * The editor grammar (editors/vscode/syntaxes/pipe.tmLanguage.json) is generated from
 * this vocabulary; a test fails when the committed copy is stale.
 *
 * Strings are lexed in modes so that `${expr}` interpolation nests: the parser sees
 * STRING_START / STRING_TEXT / INTERP_START expr RBRACE / STRING_END.
 */
lexer grammar PipeLexer;

channels { DOCS }

@members {
    // An unbalanced `}` must not crash the lexer: popping an empty mode stack stays in the default mode.
    @Override
    public int popMode() {
        return _modeStack.isEmpty() ? DEFAULT_MODE : super.popMode();
    }
}

// --- keywords -------------------------------------------------------------
IMPORT    : 'import';
AS        : 'as';
COMPONENT : 'component';
PIPELINE  : 'pipeline';
STRUCT    : 'struct';
ARTIFACT  : 'artifact';
IF        : 'if';
ELSE      : 'else';
FOR       : 'for';
IN        : 'in';
PARALLEL  : 'parallel';
AFTER     : 'after';
WITH      : 'with';
FINALLY   : 'finally';
OUTPUT    : 'output';
SCRIPT    : 'script';
TRUE      : 'true';
FALSE     : 'false';
NULL      : 'null';
AND       : 'and';
OR        : 'or';
NOT       : 'not';

// --- operators and punctuation -------------------------------------------
ARROW    : '->';
EQEQ     : '==';
NEQ      : '!=';
LE       : '<=';
GE       : '>=';
LT       : '<';
GT       : '>';
ANDAND   : '&&';
OROR     : '||';
BANG     : '!';
ASSIGN   : '=';
PLUS     : '+';
MINUS    : '-';
STAR     : '*';
SLASH    : '/';
PERCENT  : '%';
QUESTION : '?';
COLON    : ':';
COMMA    : ',';
DOT      : '.';
LPAREN   : '(';
RPAREN   : ')';
LBRACK   : '[';
RBRACK   : ']';
LBRACE   : '{' -> pushMode(DEFAULT_MODE);
RBRACE   : '}' -> popMode;

// --- literals ---------------------------------------------------------------
// A number with a unit: durations (ms s m h d) and Kubernetes quantities
// (Ki Mi Gi Ti Pi Ei, k M G T P E). Anything else with letters glued on is
// BAD_UNIT, which the parser accepts and reports (E0501).
DURATION : DIGITS ('ms' | 's' | 'm' | 'h' | 'd');
QUANTITY : DIGITS ('.' DIGITS)? ('Ki' | 'Mi' | 'Gi' | 'Ti' | 'Pi' | 'Ei' | 'k' | 'M' | 'G' | 'T' | 'P' | 'E');
FLOAT    : DIGITS '.' DIGITS EXPONENT? | DIGITS EXPONENT;
INT      : DIGITS;
BAD_UNIT : DIGITS ('.' DIGITS)? [a-zA-Z_] [a-zA-Z_0-9]*;

// An unterminated triple-quoted string runs to the end of the file; the parser reports it (E0002).
TRIPLE_STRING : '"""' .*? ('"""' | EOF);
STRING_START  : '"' -> pushMode(STRING_MODE);

IDENT : [a-zA-Z_] [a-zA-Z_0-9]*;

// --- comments and whitespace -------------------------------------------------
DOC_COMMENT   : '///' ~[\r\n]* -> channel(DOCS);
LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN);
BLOCK_COMMENT : '/*' .*? ('*/' | EOF) -> channel(HIDDEN);  // unterminated: reported by the parser
NEWLINE       : ('\r'? '\n' | '\r') -> channel(HIDDEN);
WS            : [ \t\f]+ -> channel(HIDDEN);

// Any character the language does not use becomes one token the parser rejects,
// so that a stray character is reported where it is, not as a lexer crash.
UNKNOWN_CHAR : . ;

fragment DIGITS   : [0-9] ('_'? [0-9])*;
fragment EXPONENT : [eE] [+-]? [0-9]+;

mode STRING_MODE;
STRING_END    : '"' -> popMode;
INTERP_START  : '${' -> pushMode(DEFAULT_MODE);
STRING_ESCAPE : '\\' ( [nrt"\\$0] | 'u' HEX HEX HEX HEX | 'u{' HEX+ '}' );
BAD_ESCAPE    : '\\' ~[\r\n]?;
// `$` not followed by `{` is text; a `$` right before `${` stays alone so that `$${x}` is `$` then `${x}`.
STRING_TEXT   : ( ~["\\$\r\n] | '$' ~["{\\$\r\n] )+ | '$';
STRING_NEWLINE: ('\r'? '\n' | '\r') -> popMode;  // unterminated string: the parser reports it

fragment HEX : [0-9a-fA-F];
