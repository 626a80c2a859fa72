package dev.freestone.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.freestone.diag.Renderer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An item's label keeps to 32 terminal columns: `show`'s ITEM column and the failure lines stay as wide for any text. */
class LoopItemLabelTest {
    @Test
    void aLongValueIsCutToThirtyTwoColumnsNotCharacters() {
        String ascii = LoopItem.label(List.of(LoopItem.of("s", TextNode.valueOf("a".repeat(40)))));
        assertEquals("s=\"" + "a".repeat(30) + "…", ascii);
        // 20 CJK characters are 40 columns: the opening quote and 15 of them, then the ellipsis
        String wide = LoopItem.label(List.of(LoopItem.of("s", TextNode.valueOf("日".repeat(20)))));
        assertEquals("s=\"" + "日".repeat(15) + "…", wide);
        assertEquals(2 + 32, Renderer.displayWidth(wide));
        // exactly 32 columns is shown whole
        String fits = LoopItem.label(List.of(LoopItem.of("s", TextNode.valueOf("日".repeat(15)))));
        assertEquals("s=\"" + "日".repeat(15) + "\"", fits);
    }
}
