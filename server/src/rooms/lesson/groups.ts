import { deadlockRanges, formPairs, splitHalves, type Exercise } from '@mmap-lab/shared/exercises/index.ts';
import type { Assignment, ExerciseGroups } from '@mmap-lab/shared/protocol/lesson.ts';

/**
 * How the class is divided for an exercise, by display name. The division
 * is made from the roster at launch (in join order: the exercise's reboot
 * makes everyone join again, and they come back under the same names);
 * students who arrive later are placed as they join: into the smaller
 * half, or as the partner of whoever is left over.
 */
export class ExerciseGrouping {
  #groups: ExerciseGroups;
  /** Set when a late joiner changed the groups: the store and the board need them again. */
  changed = false;

  constructor(groups: ExerciseGroups) {
    this.#groups = groups;
  }

  static launch(kind: Exercise['groups'], names: readonly string[]): ExerciseGrouping {
    switch (kind) {
      case 'none': return new ExerciseGrouping({ kind: 'none' });
      case 'halves': return new ExerciseGrouping({ kind: 'halves', ...splitHalves(names) });
      case 'pairs': return new ExerciseGrouping({ kind: 'pairs', ...formPairs(names) });
    }
  }

  get view(): ExerciseGroups {
    return this.#groups;
  }

  /** This student's part, placing the student first if the groups do not have them yet. */
  assign(name: string): Assignment {
    const g = this.#groups;
    switch (g.kind) {
      case 'none':
        return { kind: 'none' };
      case 'halves': {
        let half: 'shared' | 'private' = g.shared.includes(name) ? 'shared' : 'private';
        if (!g.shared.includes(name) && !g.private.includes(name)) {
          half = g.shared.length <= g.private.length ? 'shared' : 'private';
          this.#groups = { ...g, [half]: [...g[half], name] };
          this.changed = true;
        }
        return { kind: 'half', half, flags: half === 'shared' ? 'MAP_SHARED' : 'MAP_PRIVATE' };
      }
      case 'pairs': {
        let index = g.pairs.findIndex((p) => p.includes(name));
        if (index === -1 && g.leftOver !== name) {
          if (g.leftOver === null) this.#groups = { ...g, leftOver: name };
          else this.#groups = { ...g, pairs: [...g.pairs, [g.leftOver, name]], leftOver: null };
          this.changed = true;
          return this.assign(name);
        }
        if (index === -1) index = g.pairs.length; // waiting for a partner: the next pair's bytes
        const pair = this.#groups.kind === 'pairs' ? this.#groups.pairs[index] : undefined;
        const role = pair === undefined || pair[0] === name ? 1 : 2;
        const partner = pair === undefined ? null : pair[role === 1 ? 1 : 0];
        return { kind: 'pair', pair: index, partner, role, ...deadlockRanges(index) };
      }
    }
  }
}
