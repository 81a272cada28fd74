/**
 * The board's per-student quiz results are on the projector: before the
 * reveal they must not say who is right about the question on screen, and
 * a table already up counts the question once it is revealed.
 */
import { describe, expect, it } from 'vitest';
import { question } from '@mmap-lab/shared/content/quiz/index.ts';
import { must } from '../server/helpers/client.ts';
import { joinStudent, openRoom } from '../server/helpers/room.ts';
import { openBoard } from './board-tab.ts';
import { screenshot } from './harness.ts';
import { liveServer } from './live-server.ts';

const live = liveServer('board-quiz-results');
const q = question('c0-read-copies')!;
const wrong = (q.answer + 1) % q.choices.length;

describe('quiz results per student on the board', () => {
  it('leave out the question on screen until the reveal, then count it in the table already up', async () => {
    const room = await openRoom(live.url, live.d);
    const ada = await joinStudent(live.url, live.d, room.code, 'Ada');
    const bob = await joinStudent(live.url, live.d, room.code, 'Bob');
    const board = await openBoard(live, room.code, room.credential);
    const p = board.page;
    await p.locator('nav.tabs button[data-tab="quiz"]').click();
    await p.locator(`.bank li[data-question="${q.id}"]`).getByRole('button', { name: 'Ask' }).click();
    await p.getByTestId('quiz-prompt').waitFor();
    await must(ada.socket, 'student:quiz:answer', { questionId: q.id, choice: q.answer });
    await must(bob.socket, 'student:quiz:answer', { questionId: q.id, choice: wrong });
    await p.getByTestId('answered').filter({ hasText: '2' }).waitFor();

    await p.getByRole('button', { name: 'Results per student' }).click();
    const table = p.getByTestId('quiz-results');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(0);
    expect(await table.locator('caption').innerText()).toContain('counts once you reveal it');
    await screenshot(p, 'board-quiz-results-before-reveal');

    await p.getByRole('button', { name: 'Reveal the answer' }).click();
    await table.locator('tbody tr').nth(1).waitFor();
    const row = (name: string) => table.locator('tr', { hasText: name }).locator('td');
    expect(await row('Ada').allInnerTexts()).toEqual(['1', '1', '1']);
    expect(await row('Bob').allInnerTexts()).toEqual(['1', '0', '0']);
    expect(await table.locator('caption').innerText()).not.toContain('reveal');
    await screenshot(p, 'board-quiz-results-revealed');
    expect(board.errors).toEqual([]);
  });
});
