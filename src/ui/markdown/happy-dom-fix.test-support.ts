/**
 * Test support: makes happy-dom answer like a browser where DOMPurify depends on it. Import it
 * FIRST in DOM tests of this folder (before anything that imports dompurify, which captures
 * these functions when it loads). Browsers are unaffected; this never ships.
 *
 * 1. `Node.prototype.nodeName` returns '' in happy-dom (capricorn86/happy-dom#2182). DOMPurify
 *    ≥ 3.4.8 reads names through exactly that getter (anti-clobbering) and so unwraps
 *    elements it should keep. Answer with the nearest subclass getter, as browsers do.
 * 2. happy-dom's NodeIterator walks a TreeWalker and loses its place when the node it stands
 *    on is removed — which is how DOMPurify removes things — so it stops early and leaves the
 *    rest unsanitized. Replace it with one that keeps its place as the DOM spec says: after
 *    its reference node is removed, it continues with what followed it.
 */

const base = Object.getOwnPropertyDescriptor(Node.prototype, 'nodeName');
if (base?.get && base.configurable && base.get.call(document.createElement('p')) === '') {
  Object.defineProperty(Node.prototype, 'nodeName', {
    configurable: true,
    get(this: Node): string {
      for (let proto = Object.getPrototypeOf(this); proto && proto !== Node.prototype; proto = Object.getPrototypeOf(proto)) {
        const own = Object.getOwnPropertyDescriptor(proto, 'nodeName');
        if (own?.get) return own.get.call(this) as string;
      }
      return '';
    },
  });
}

/** The node after `node`'s subtree in document order, staying inside `root`. */
function afterSubtree(node: Node, root: Node): Node | null {
  for (let n: Node | null = node; n && n !== root; n = n.parentNode) {
    if (n.nextSibling) return n.nextSibling;
  }
  return null;
}

class RemovalSafeNodeIterator {
  readonly referenceNode: Node | null = null;
  #reference: Node | null = null;
  /** Where the reference node was when returned: its parent and previous sibling. */
  #anchor: { parent: Node | null; previous: Node | null } = { parent: null, previous: null };

  constructor(
    readonly root: Node,
    readonly whatToShow: number,
    readonly filter: NodeFilter | null,
  ) {}

  #following(): Node | null {
    const ref = this.#reference;
    if (!ref) return this.root;
    if (ref === this.root || this.root.contains(ref)) return ref.firstChild ?? afterSubtree(ref, this.root);
    // The reference node was removed: continue with what now follows its old place.
    const { parent, previous } = this.#anchor;
    if (previous && previous.parentNode === parent) return previous.nextSibling ?? afterSubtree(previous, this.root);
    if (parent && (parent === this.root || this.root.contains(parent))) return parent.firstChild ?? afterSubtree(parent, this.root);
    return null;
  }

  #accepts(node: Node): boolean {
    if (!(this.whatToShow & (1 << (node.nodeType - 1)))) return false;
    if (!this.filter) return true;
    const verdict = typeof this.filter === 'function' ? this.filter(node) : this.filter.acceptNode(node);
    return verdict === NodeFilter.FILTER_ACCEPT;
  }

  nextNode(): Node | null {
    for (let node = this.#following(); node; node = this.#following()) {
      this.#reference = node;
      this.#anchor = { parent: node.parentNode, previous: node.previousSibling };
      if (this.#accepts(node)) return node;
    }
    return null;
  }

  previousNode(): Node | null {
    throw new Error('not needed by DOMPurify');
  }

  detach(): void {}
}

// Replace it where documents find it (happy-dom's base Document class, not the window's).
let owner: object | null = document;
while (owner && !Object.hasOwn(owner, 'createNodeIterator')) owner = Object.getPrototypeOf(owner);
Object.defineProperty(owner ?? Document.prototype, 'createNodeIterator', {
  configurable: true,
  writable: true,
  value: function createNodeIterator(root: Node, whatToShow = 0xffffffff, filter: NodeFilter | null = null): NodeIterator {
    return new RemovalSafeNodeIterator(root, whatToShow, filter) as unknown as NodeIterator;
  },
});

export {};
