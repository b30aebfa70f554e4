import { createClosedRunAnswers } from '../../use-cases/closed-run-answers';

describe('the answers kept for closed runs', () => {
  it('keeps an answer per run and read, forgets the least recently read one first, and knows which run an id last named', () => {
    const answers = createClosedRunAnswers(2);
    expect(answers.closedRunOf('run-a')).toBeUndefined();
    answers.remember('run-a', 'r1', 'overview', { status: 'COMPLETED' });
    answers.remember('run-b', 'r2', 'overview', { status: 'CANCELLED' });
    expect(answers.closedRunOf('run-a')).toBe('r1');
    expect(answers.answerOf('r1', 'overview')).toEqual({ answer: { status: 'COMPLETED' } });
    expect(answers.answerOf('r1', 'page steps {}')).toBeUndefined();
    // r1's overview was read last: r2's goes first.
    answers.remember('run-c', 'r3', 'overview', null);
    expect(answers.answerOf('r2', 'overview')).toBeUndefined();
    expect(answers.answerOf('r1', 'overview')).toEqual({ answer: { status: 'COMPLETED' } });
    expect(answers.answerOf('r3', 'overview')).toEqual({ answer: null });
    // The id now names another closed run.
    answers.remember('run-a', 'r4', 'overview', { status: 'FAILED' });
    expect(answers.closedRunOf('run-a')).toBe('r4');
  });
});
