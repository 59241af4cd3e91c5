import type { RetainerPath } from '../types/index.ts';

/**
 * A line of the tree. A class, not object literals: at `-vv` the tree is drawn between samples,
 * and a class's shape lives as long as the class, where a literal's could be made anew, with its
 * property names, and counted.
 */
class Branch {
  readonly label: string;
  readonly children = new Map<string, Branch>();
  /** The paths that end here: how many of their objects are new, and how many live. */
  readonly ends: (readonly [added: number, objects: number | undefined])[] = [];

  constructor(label: string) {
    this.label = label;
  }
}

function branch(label: string): Branch {
  return new Branch(label);
}

/**
 * Retainer paths drawn as one tree per root, in LeakCanary's manner (docs/leaks.md): paths that
 * share references share lines, the reference through which the path grows is marked
 * `◀ grows`, and each path's end says how many of its objects are new and how many are live:
 *
 * ```
 * leak (module)
 * ╰─ .leaked → Array  ◀ grows
 *    ╰─ [5] → Array  (1 new, 6 live)
 *       ├─ [0] → leak.ClassicLeakable  (1 new, 6 live)
 *       ╰─ [1] → leak.Leakable  (1 new, 6 live)
 * ```
 */
export function pathsTree(paths: readonly RetainerPath[], indent: string): string {
  const roots = new Map<string, Branch>();
  for (const path of paths) {
    let at: Branch = roots.get(path.root) ?? branch(path.root);
    roots.set(path.root, at);
    for (const { edge, target, grows } of path.steps) {
      const label = `${edge} → ${target}${grows ? '  ◀ grows' : ''}`;
      const next: Branch = at.children.get(label) ?? branch(label);
      at.children.set(label, next);
      at = next;
    }
    at.ends.push([path.added, path.objects]);
  }
  let text = '';
  for (const root of roots.values()) text += `${indent}${root.label}${ends(root)}\n${children(root, indent)}`;
  return text;
}

function ends(at: Branch): string {
  return at.ends.map(([added, objects]) => `  (${added} new${objects === undefined ? '' : `, ${objects} live`})`).join('');
}

function children(parent: Branch, indent: string): string {
  const list = [...parent.children.values()];
  return list
    .map((child, index) => {
      const last = index === list.length - 1;
      return `${indent}${last ? '╰─ ' : '├─ '}${child.label}${ends(child)}\n${children(child, indent + (last ? '   ' : '│  '))}`;
    })
    .join('');
}
