package dev.freestone.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Graph algorithms over nodes numbered 0..n-1, iterative so that no recursion grows with the graph. */
final class Graphs {
    private Graphs() {
    }

    /**
     * Tarjan's strongly connected components. Components come out in reverse topological order: a
     * component is emitted after every component it has edges to (dependencies first).
     */
    static List<int[]> components(int n, List<int[]> edges) {
        int[] index = new int[n];
        int[] low = new int[n];
        boolean[] onStack = new boolean[n];
        Arrays.fill(index, -1);
        int[] stack = new int[n];
        int sp = 0;
        int[] callNode = new int[n];
        int[] callEdge = new int[n];
        int counter = 0;
        List<int[]> out = new ArrayList<>();
        for (int root = 0; root < n; root++) {
            if (index[root] >= 0) {
                continue;
            }
            int depth = 0;
            callNode[0] = root;
            callEdge[0] = 0;
            index[root] = low[root] = counter++;
            stack[sp++] = root;
            onStack[root] = true;
            while (depth >= 0) {
                int v = callNode[depth];
                int[] succ = edges.get(v);
                if (callEdge[depth] < succ.length) {
                    int w = succ[callEdge[depth]++];
                    if (index[w] < 0) {
                        index[w] = low[w] = counter++;
                        stack[sp++] = w;
                        onStack[w] = true;
                        depth++;
                        callNode[depth] = w;
                        callEdge[depth] = 0;
                    } else if (onStack[w]) {
                        low[v] = Math.min(low[v], index[w]);
                    }
                } else {
                    if (low[v] == index[v]) {
                        int size = 0;
                        for (int i = sp - 1; i >= 0; i--) {
                            size++;
                            if (stack[i] == v) {
                                break;
                            }
                        }
                        int[] comp = new int[size];
                        for (int i = 0; i < size; i++) {
                            int w = stack[--sp];
                            onStack[w] = false;
                            comp[i] = w;
                        }
                        Arrays.sort(comp);
                        out.add(comp);
                    }
                    depth--;
                    if (depth >= 0) {
                        int parent = callNode[depth];
                        low[parent] = Math.min(low[parent], low[v]);
                    }
                }
            }
        }
        return out;
    }

    /** A shortest cycle through {@code start} inside {@code members} (breadth first): start, ..., start. */
    static List<Integer> cycleThrough(int start, int[] members, List<int[]> edges) {
        java.util.Set<Integer> in = new java.util.HashSet<>();
        for (int m : members) {
            in.add(m);
        }
        java.util.Map<Integer, Integer> parent = new java.util.HashMap<>();
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
        queue.add(start);
        while (!queue.isEmpty()) {
            int v = queue.poll();
            for (int w : edges.get(v)) {
                if (!in.contains(w)) {
                    continue;
                }
                if (w == start) {
                    List<Integer> back = new ArrayList<>();
                    for (int x = v; x != start; x = parent.get(x)) {
                        back.add(x);
                    }
                    List<Integer> path = new ArrayList<>();
                    path.add(start);
                    for (int i = back.size() - 1; i >= 0; i--) {
                        path.add(back.get(i));
                    }
                    path.add(start);
                    return path;
                }
                if (!parent.containsKey(w)) {
                    parent.put(w, v);
                    queue.add(w);
                }
            }
        }
        return List.of(start, start);
    }
}
