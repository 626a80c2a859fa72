/*
 * The parser of the .pipe language. Every alternative that builds a different AST
 * node is labelled; dev.freestone.syntax.AstBuilder has one visit method per label.
 * Nothing outside dev.freestone.syntax sees these contexts.
 *
 * Doc comments (`///`) travel on their own channel; the AST builder attaches the ones
 * directly above a declaration, parameter, field or step to it.
 */
parser grammar PipeParser;

options { tokenVocab = PipeLexer; }

file
    : decl* EOF
    ;

decl
    : IMPORT importPath (AS IDENT)?                                   # ImportDecl
    | STRUCT IDENT LBRACE (field (COMMA? field)* COMMA?)? RBRACE      # StructDecl
    | ARTIFACT IDENT (COLON typeRef)?                                 # ArtifactDecl
    | COMPONENT IDENT paramList outputList? LBRACE option* RBRACE     # ComponentDecl
    | PIPELINE IDENT paramList outputList? withClause? block          # PipelineDecl
    ;

importPath
    : string                         # StringImport
    | IDENT (SLASH IDENT)*           # BareImport
    ;

field
    : IDENT COLON typeRef
    ;

paramList
    : LPAREN (param (COMMA param)* COMMA?)? RPAREN
    ;

param
    : IDENT COLON typeRef (ASSIGN expr)?
    ;

outputList
    : ARROW LPAREN (field (COMMA field)* COMMA?)? RPAREN
    ;

typeRef
    : typeRef QUESTION                                                # OptionalType
    | IDENT (DOT IDENT)? (LBRACK typeRef (COMMA typeRef)* RBRACK)?    # NamedType
    ;

// Component settings and call-site overrides share one shape:
// `name = value`, `name { nested settings }` or `script = interpreter """body"""`.
option
    : SCRIPT ASSIGN IDENT? (TRIPLE_STRING | string)          # ScriptOption
    | optionKey ASSIGN expr                                  # ValueOption
    | optionKey LBRACE option* RBRACE                        # BlockOption
    ;

optionKey
    : IDENT | string | OUTPUT
    ;

block
    : LBRACE stmt* RBRACE
    ;

// `name = expr`: a step when expr calls a component or pipeline, a value otherwise.
stmt
    : (IDENT ASSIGN)? expr afterClause? withClause?          # BindStmt
    | IF expr block (ELSE IF expr block)* (ELSE block)?       # IfStmt
    | FOR IDENT IN expr (PARALLEL expr)? block                # ForStmt
    | FINALLY block                                           # FinallyStmt
    | OUTPUT IDENT ASSIGN expr                                # OutputStmt
    | ELSE (IF expr)? block                                   # StrayElseStmt
    ;

arg
    : IDENT ASSIGN expr              # NamedArg
    | expr                           # PositionalArg
    ;

afterClause
    : AFTER IDENT (COMMA IDENT)*
    ;

withClause
    : WITH LBRACE option* RBRACE
    ;

expr
    : expr DOT IDENT                                                  # MemberExpr
    | expr LBRACK expr RBRACK                                         # IndexExpr
    | IDENT (DOT IDENT)? LPAREN (arg (COMMA arg)* COMMA?)? RPAREN     # CallExpr
    | op=(MINUS | BANG) expr                                          # UnaryExpr
    | expr op=(STAR | SLASH | PERCENT) expr                           # BinaryExpr
    | expr op=(PLUS | MINUS) expr                                     # BinaryExpr
    | expr op=(LT | LE | GT | GE) expr                                # BinaryExpr
    | expr op=(EQEQ | NEQ) expr                                       # BinaryExpr
    | op=NOT expr                                                     # UnaryExpr
    | expr op=(AND | ANDAND) expr                                     # BinaryExpr
    | expr op=(OR | OROR) expr                                        # BinaryExpr
    | LPAREN expr RPAREN                                              # ParenExpr
    | LBRACK (expr (COMMA expr)* COMMA?)? RBRACK                      # ListExpr
    | LBRACE (entry (COMMA entry)* COMMA?)? RBRACE                    # MapExpr
    | literal                                                         # LiteralExpr
    | IDENT                                                           # NameExpr
    ;

entry
    : (string | IDENT) COLON expr
    ;

literal
    : INT            # IntLit
    | FLOAT          # FloatLit
    | DURATION       # DurationLit
    | QUANTITY       # QuantityLit
    | BAD_UNIT       # BadUnitLit
    | TRUE           # TrueLit
    | FALSE          # FalseLit
    | NULL           # NullLit
    | string         # StringLit
    | TRIPLE_STRING  # TripleStringLit
    ;

string
    : STRING_START stringPart* (STRING_END | STRING_NEWLINE)
    ;

stringPart
    : STRING_TEXT                    # TextPart
    | STRING_ESCAPE                  # EscapePart
    | BAD_ESCAPE                     # BadEscapePart
    | INTERP_START expr RBRACE       # InterpPart
    ;
