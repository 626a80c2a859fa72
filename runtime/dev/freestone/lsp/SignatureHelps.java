package dev.freestone.lsp;

import dev.freestone.check.Module;
import dev.freestone.check.Symbol;
import dev.freestone.syntax.Ast;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.ParameterInformation;
import org.eclipse.lsp4j.SignatureHelp;
import org.eclipse.lsp4j.SignatureInformation;
import org.eclipse.lsp4j.jsonrpc.messages.Tuple;

/**
 * Signature help inside the parentheses of a call of a component or pipeline, or of a struct value
 * ({@code Config(lr = 0.1)}, its fields as the inputs): its one signature
 * ({@code name(input: Type = default, ...) -> (outputs)}) with its doc comment and each input's, and as the
 * active parameter the argument whose value the cursor is in, found by its name (arguments are named, so
 * their order says nothing), or else the first input not given yet. The call is read from the text
 * ({@link CursorContext}), which rarely parses while it is being typed.
 */
final class SignatureHelps {
    private SignatureHelps() {
    }

    /** The help at an offset of the root's text, or null outside a call of a component or pipeline or a struct value. */
    static SignatureHelp at(Module module, String text, int offset) {
        CursorContext.Call call = CursorContext.at(text, offset).call();
        Symbol callee = call == null ? null : Completions.callee(module, call);
        List<Ast.Param> params;
        List<Ast.Field> outputs;
        String doc;
        if (callee instanceof Symbol.Component c) {
            params = c.decl().params();
            outputs = c.decl().outputs();
            doc = c.decl().doc();
        } else if (callee instanceof Symbol.Pipeline p) {
            params = p.decl().params();
            outputs = p.decl().outputs();
            doc = p.decl().doc();
        } else if (callee instanceof Symbol.StructDef s) {
            // a struct value is written as a call with its fields as named arguments: `Config(lr = 0.1)`
            params = s.decl().fields().stream()
                    .map(f -> new Ast.Param(f.name(), f.type(), null, f.doc(), f.span())).toList();
            outputs = List.of();
            doc = s.decl().doc();
        } else if (callee == null && call != null && call.qualifier() == null
                && Hovers.BUILTINS.containsKey(call.callee())) {
            return builtin(call);
        } else {
            return null;
        }
        Hovers.Signature signature = Hovers.signature(call.callee(), params, outputs);
        List<ParameterInformation> parameters = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            int[] place = signature.params().get(i);
            ParameterInformation p = new ParameterInformation();
            p.setLabel(Tuple.two(place[0], place[1]));
            String paramDoc = params.get(i).doc();
            if (paramDoc != null && !paramDoc.isBlank()) {
                p.setDocumentation(new MarkupContent(MarkupKind.MARKDOWN, paramDoc.strip()));
            }
            parameters.add(p);
        }
        SignatureInformation information = new SignatureInformation(signature.text());
        if (doc != null && !doc.isBlank()) {
            information.setDocumentation(new MarkupContent(MarkupKind.MARKDOWN, doc.strip()));
        }
        information.setParameters(parameters);
        return new SignatureHelp(List.of(information), 0, active(params, call));
    }

    /**
     * A builtin function's signature as its hover writes it ({@code secret(name, key)}), its arguments by position;
     * {@code read_only = } by its name.
     */
    private static SignatureHelp builtin(CursorContext.Call call) {
        Hovers.BuiltinFunction f = Hovers.BUILTINS.get(call.callee());
        List<ParameterInformation> parameters = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int at = f.name().length() + 1;
        for (String p : f.params()) {
            ParameterInformation info = new ParameterInformation();
            info.setLabel(Tuple.two(at, at + p.length()));
            parameters.add(info);
            names.add(Hovers.BuiltinFunction.paramName(p));
            at += p.length() + 2;
        }
        SignatureInformation information = new SignatureInformation(f.signature());
        information.setDocumentation(new MarkupContent(MarkupKind.MARKDOWN, f.description()));
        information.setParameters(parameters);
        int active = call.current() != null && names.contains(call.current()) ? names.indexOf(call.current())
                : Math.min(call.position(), names.size() - 1);
        // past the last of a fixed list (len(x, |) is a mistake the checker reports) no argument is active
        boolean variadic = names.get(names.size() - 1).equals("...");
        return new SignatureHelp(List.of(information), 0,
                variadic || call.current() != null || call.position() < names.size() ? active : null);
    }

    /** The parameter whose {@code name =} the cursor is after, else the first not given; null when all are. */
    private static Integer active(List<Ast.Param> params, CursorContext.Call call) {
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i).name().name().equals(call.current())) {
                return i;
            }
        }
        for (int i = 0; i < params.size(); i++) {
            if (call.current() == null && !call.given().contains(params.get(i).name().name())) {
                return i;
            }
        }
        return null;
    }
}
