//! Strongly connected components of a directed graph (Tarjan's algorithm), in one pass over
//! the edges. Iterative, with an explicit stack, so a chain of 100,000 types cannot overflow
//! the thread's stack.

const UNSEEN: usize = usize::MAX;

/// The state of one run of Tarjan's algorithm.
struct Tarjan {
    /// Visit order of every node (`UNSEEN` before its visit).
    order: Vec<usize>,
    /// The lowest visit order reachable from the node through the walk and one back edge.
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    component: Vec<usize>,
    next_order: usize,
    next_component: usize,
    /// The depth-first walk: each frame is a node and how many of its edges were followed.
    walk: Vec<(usize, usize)>,
}

impl Tarjan {
    fn visit(&mut self, v: usize) {
        self.order[v] = self.next_order;
        self.low[v] = self.next_order;
        self.next_order += 1;
        self.stack.push(v);
        self.on_stack[v] = true;
        self.walk.push((v, 0));
    }

    /// Called when every edge of `v` is followed: `v` closes a component if it is its root.
    fn leave(&mut self, v: usize) {
        self.walk.pop();
        if let Some(&(parent, _)) = self.walk.last() {
            self.low[parent] = self.low[parent].min(self.low[v]);
        }
        if self.low[v] != self.order[v] {
            return;
        }
        while let Some(w) = self.stack.pop() {
            self.on_stack[w] = false;
            self.component[w] = self.next_component;
            if w == v {
                break;
            }
        }
        self.next_component += 1;
    }
}

/// The component of every node of the graph `adjacency` (node `i`'s edges are
/// `adjacency[i]`); two nodes share a component exactly when each reaches the other.
pub(crate) fn components(adjacency: &[Vec<usize>]) -> Vec<usize> {
    let n = adjacency.len();
    let mut t = Tarjan {
        order: vec![UNSEEN; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        component: vec![UNSEEN; n],
        next_order: 0,
        next_component: 0,
        walk: Vec::new(),
    };
    for root in 0..n {
        if t.order[root] != UNSEEN {
            continue;
        }
        t.visit(root);
        while let Some(&(v, followed)) = t.walk.last() {
            let Some(&w) = adjacency[v].get(followed) else {
                t.leave(v);
                continue;
            };
            if let Some(frame) = t.walk.last_mut() {
                frame.1 += 1;
            }
            if t.order[w] == UNSEEN {
                t.visit(w);
            } else if t.on_stack[w] {
                t.low[v] = t.low[v].min(t.order[w]);
            }
        }
    }
    t.component
}

#[cfg(test)]
mod tests {
    use super::components;

    #[test]
    fn nodes_share_a_component_exactly_when_they_reach_each_other() {
        // 0 -> 1 -> 2 -> 0 is a cycle; 3 -> 0 and 3 -> 4 -> 4 hang off it.
        let graph = vec![vec![1], vec![2], vec![0], vec![0, 4], vec![4]];
        let c = components(&graph);
        assert!(c[0] == c[1] && c[1] == c[2]);
        assert!(c[3] != c[0] && c[4] != c[0] && c[3] != c[4]);
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let n = 1_000_000;
        let graph: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        let c = components(&graph);
        assert!(c.iter().all(|&x| x == c[0]), "one cycle through every node");
    }
}
