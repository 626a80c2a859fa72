package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * {@code freestone graph --format svg}: the DAG as a picture that a browser opens, drawn by Freestone with nothing
 * installed. The document is read back as XML and its geometry checked as a person would look at it: every task
 * once with the labels DOT gives it, no two boxes on each other, each box inside its loop's or branch's rectangle,
 * an edge for each of DOT's, and after a run each box filled as DOT fills it.
 */
class SvgGraphE2ETest {
    @TempDir
    Path tmp;

    // a loop, an `if` with an `else if` and an `else`, a called pipeline, an exit handler; run, `f[1]` fails and `_g`
    // (after it), `maybe` and `no` (branches not taken) are skipped
    private static final String PIPE = RunGraphE2ETest.STEPS + """
            pipeline tour(rates: List[Int] = [0, 3, 0]) {
              a = step(code = 0)
              for lr in rates parallel 2 {
                f = step(code = lr)
              }
              _g = step(code = f.o[0])
              w = inner(code = a.o)
              if a.o == 0 {
                yes = step(code = 0)
                yes2 = step(code = yes.o)
              } else if a.o == 1 {
                maybe = step(code = 0)
              } else {
                no = step(code = 0)
              }
              last = step(code = a.o) after yes
              finally {
                cleanup = step(code = 0)
              }
            }
            """;

    private static final List<String> TASKS = List.of("a", "f", "_g", "w", "yes", "yes2", "maybe", "no", "last", "cleanup");

    @Test
    void aPipelineAndItsRunAreDrawnAsAStandaloneSvg() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "tour.pipe", PIPE);

        String svg = fs.cli("graph", p.toString(), "--format", "svg").expect(0).out();
        assertEquals(svg, fs.cli("graph", p.toString(), "--format", "svg").expect(0).out(), "the same bytes each time");
        String dot = fs.cli("graph", p.toString()).expect(0).out();
        Document file = parse(svg);
        assertEquals(TASKS, tasks(file).keySet().stream().toList(), "each task once, in the pipeline's order:\n" + svg);
        assertEquals(labels(dot), tasks(file), svg);
        assertEquals(List.of("for lr in rates parallel 2", "if a.o == 0", "then", "else if a.o == 1", "else", "finally"),
                clusters(file), svg);
        assertEquals(dot.split(" -> ", -1).length - 1, elements(file, "path", "edge").size(), "an edge per DOT edge");
        assertGeometry(file, svg);

        String run = fs.cli("run", "--progress", "none", p.toString()).expect(1).runId();
        String picture = fs.cli("graph", "--run", run, "--format", "svg").expect(0).out();
        assertEquals(picture, fs.cli("graph", "--run", run, "--format", "svg").expect(0).out(), "the same bytes each time");
        String runDot = fs.cli("graph", "--run", run).expect(0).out();
        Document drawn = parse(picture);
        assertEquals(run + " tour: Failed", elements(drawn, "text", "title").get(0).getTextContent(), picture);
        // each task with DOT's lines (its id, callee and how it went) and DOT's fill
        assertEquals(labels(runDot), tasks(drawn), picture);
        assertEquals(fills(runDot), fills(drawn), picture);
        Map<String, Element> boxes = taskBoxes(drawn);
        assertEquals("#ffcdd2", boxes.get("f").getAttribute("fill"), "a failed iteration: red");
        for (String skipped : List.of("_g", "maybe", "no")) {
            assertEquals("#e0e0e0", boxes.get(skipped).getAttribute("fill"), skipped);
            assertFalse(boxes.get(skipped).getAttribute("stroke-dasharray").isEmpty(), skipped + " is dashed");
        }
        assertTrue(boxes.get("a").getAttribute("stroke-dasharray").isEmpty(), picture);
        assertEquals("2.5", boxes.get("w").getAttribute("stroke-width"), "a called pipeline is bold");
        assertEquals("1", boxes.get("a").getAttribute("stroke-width"), picture);
        assertEquals(elements(file, "path", "edge").size(), elements(drawn, "path", "edge").size(), picture);
        assertGeometry(drawn, picture);
    }

    @Test
    void aLabelWithMarkupCharactersIsEscaped() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "odd.pipe", """
                component show(s: String) {
                  image   = "alpine:3.20"
                  command = ["echo", s]
                }

                pipeline odd() {
                  for x in ["<a & \\"b' c>"] {
                    show(s = x)
                  }
                }
                """);
        String svg = fs.cli("graph", p.toString(), "--format", "svg").expect(0).out();
        Document d = parse(svg);
        assertEquals(List.of("for x in [\"<a & \\\"b' c>\"]"), clusters(d), svg);
        assertTrue(svg.contains("&lt;a &amp; \\&quot;b&#39; c&gt;"), svg);
    }

    /** A label in Chinese or with emoji (each about 1 em wide, where a Latin letter is about 0.6) fits its box. */
    @Test
    void aLabelOfWideCharactersFitsItsBox() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String wide = "训练管道训练管道训练管道训练管道\uD83D\uDE80\uD83D\uDE80";
        Path p = Freestone.pipe(tmp, "wide.pipe", """
                component show(s: String) {
                  image   = "alpine:3.20"
                  command = ["echo", s]
                }

                pipeline wide() {
                  for x in ["%s"] {
                    show(s = x)
                  }
                }
                """.formatted(wide));
        String svg = fs.cli("graph", p.toString(), "--format", "svg").expect(0).out();
        Document d = parse(svg);
        String label = "for x in [\"" + wide + "\"]";
        assertEquals(List.of(label), clusters(d), svg);
        int wideChars = wide.codePointCount(0, wide.length());
        int narrow = label.codePointCount(0, label.length()) - wideChars;
        int width = Integer.parseInt(elements(d, "rect", "cluster").get(0).getAttribute("width"));
        assertTrue(width >= 13 * wideChars + 8 * narrow, width + " px for " + label + "\n" + svg);
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", d.getDocumentElement().getLocalName(), svg);
        assertEquals("http://www.w3.org/2000/svg", d.getDocumentElement().getNamespaceURI(), svg);
        return d;
    }

    /** Each element {@code <tag class="cls">}, in document order. */
    private static List<Element> elements(Document d, String tag, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList all = d.getElementsByTagName(tag);
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.getAttribute("class").equals(cls)) {
                out.add(e);
            }
        }
        return out;
    }

    /** Each task's lines (its {@code <tspan>}s) by its id, the first line. */
    private static Map<String, List<String>> tasks(Document d) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Element g : elements(d, "g", "task")) {
            NodeList spans = g.getElementsByTagName("tspan");
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < spans.getLength(); i++) {
                lines.add(spans.item(i).getTextContent());
            }
            assertFalse(out.containsKey(lines.get(0)), "drawn twice: " + lines.get(0));
            out.put(lines.get(0), lines);
        }
        return out;
    }

    private static Map<String, Element> taskBoxes(Document d) {
        Map<String, Element> out = new LinkedHashMap<>();
        for (Element g : elements(d, "g", "task")) {
            out.put(g.getElementsByTagName("tspan").item(0).getTextContent(), (Element) g.getElementsByTagName("rect").item(0));
        }
        return out;
    }

    private static Map<String, String> fills(Document d) {
        Map<String, String> out = new LinkedHashMap<>();
        taskBoxes(d).forEach((id, rect) -> out.put(id, rect.getAttribute("fill")));
        return out;
    }

    private static List<String> clusters(Document d) {
        return elements(d, "g", "cluster").stream().map(g -> g.getElementsByTagName("text").item(0).getTextContent()).toList();
    }

    private static final Pattern DOT_NODE = Pattern.compile("n\\d+ \\[label=\"((?:[^\"\\\\]|\\\\.)*)\"(?:.*fillcolor=\"([^\"]+)\")?");

    /** DOT's lines of each task, by its id. */
    private static Map<String, List<String>> labels(String dot) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Matcher m = DOT_NODE.matcher(dot);
        while (m.find()) {
            List<String> lines = Arrays.asList(m.group(1).split("\\\\n"));
            out.put(lines.get(0), lines);
        }
        return out;
    }

    private static Map<String, String> fills(String dot) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = DOT_NODE.matcher(dot);
        while (m.find()) {
            out.put(m.group(1).split("\\\\n")[0], m.group(2));
        }
        return out;
    }

    private record Box(String what, int x, int y, int w, int h) {
        boolean overlaps(Box o) {
            return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
        }

        boolean inside(Box o) {
            return x > o.x && y > o.y && x + w < o.x + o.w && y + h < o.y + o.h;
        }
    }

    /**
     * No two boxes (tasks and clusters) overlap unless one holds the other, and each lies inside the rectangle of
     * every cluster around it.
     */
    private static void assertGeometry(Document d, String svg) {
        List<Element> rects = new ArrayList<>(elements(d, "rect", "task"));
        rects.addAll(elements(d, "rect", "cluster"));
        Map<Element, Box> boxes = new LinkedHashMap<>();
        for (Element r : rects) {
            boxes.put(r, new Box(((Element) r.getParentNode()).getElementsByTagName("text").item(0).getTextContent(),
                    Integer.parseInt(r.getAttribute("x")), Integer.parseInt(r.getAttribute("y")),
                    Integer.parseInt(r.getAttribute("width")), Integer.parseInt(r.getAttribute("height"))));
        }
        int nested = 0;
        for (Element r : rects) {
            List<Element> around = clustersAround(r);
            for (Element c : around) {
                assertTrue(boxes.get(r).inside(boxes.get(c)), boxes.get(r) + " inside " + boxes.get(c) + "\n" + svg);
                nested++;
            }
            for (Element o : rects) {
                if (o != r && !around.contains(o) && !clustersAround(o).contains(r)) {
                    assertFalse(boxes.get(r).overlaps(boxes.get(o)), boxes.get(r) + " overlaps " + boxes.get(o) + "\n" + svg);
                }
            }
        }
        assertTrue(nested > 0, "some boxes are in clusters");
    }

    /** The rectangles of the clusters whose groups hold {@code rect}'s group. */
    private static List<Element> clustersAround(Element rect) {
        List<Element> out = new ArrayList<>();
        for (Node n = rect.getParentNode().getParentNode(); n instanceof Element e; n = n.getParentNode()) {
            if (e.getTagName().equals("g") && e.getAttribute("class").equals("cluster")) {
                out.add((Element) e.getElementsByTagName("rect").item(0));
            }
        }
        return out;
    }
}
