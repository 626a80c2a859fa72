package dev.freestone.runtime.argo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** An answer that is not JSON is said to be so, with where it went wrong, never with its text. */
class ArgoJsonTest {
    @Test
    void anAnswerThatIsNotJsonIsNotQuoted() {
        // a proxy that echoes the request's header instead of answering
        ArgoException e = assertThrows(ArgoException.class,
                () -> ArgoJson.parseObject("Authorization: Bearer v2:secret-token-0000", "the Argo Server's answer"));
        assertEquals("the Argo Server's answer is not JSON (line 1, column 14)", e.getMessage());
        assertFalse(e.error().toString().contains("secret-token"), e.error().toString());
    }
}
