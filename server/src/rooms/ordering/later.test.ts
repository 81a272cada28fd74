import { describe, expect, it } from 'vitest';
import { Later } from './later.ts';

describe('Later', () => {
  it('hands its answer over inside resolve, not after the turn', () => {
    const later = new Later<string>();
    const seen: string[] = [];
    later.whenSettled((v) => seen.push(`value ${v}`), () => seen.push('error'));
    later.resolve('A');
    seen.push('after resolve');
    expect(seen).toEqual(['value A', 'after resolve']);
  });

  it('settles once, and answers a late listener at once', () => {
    const later = Later.failed<string>(new Error('no'));
    later.resolve('too late');
    const seen: string[] = [];
    later.whenSettled((v) => seen.push(v), (e) => seen.push((e as Error).message));
    expect(seen).toEqual(['no']);
  });
});
