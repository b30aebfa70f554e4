import type { MigrationUseCases } from '../../use-cases/migrations';

/** One call a route made to the use-case layer. */
export interface UseCaseCall {
  name: keyof MigrationUseCases;
  args: unknown[];
}

/**
 * A stand-in for the migration use cases, for tests of the HTTP layer alone: it records every
 * call and answers what the test set with `answer(name, …)`; a use case the test did not set
 * fails the request as a fault would (500).
 */
export function fakeMigrationUseCases() {
  const calls: UseCaseCall[] = [];
  const answers = new Map<keyof MigrationUseCases, (...args: never[]) => unknown>();
  const useCases = new Proxy({} as MigrationUseCases, {
    get(_target, property) {
      const name = property as keyof MigrationUseCases;
      return async (...args: unknown[]) => {
        calls.push({ name, args });
        const answer = answers.get(name);
        if (!answer) throw new Error(`use case ${String(name)} was not expected`);
        return await (answer as (...a: unknown[]) => unknown)(...args);
      };
    },
  });
  return {
    useCases,
    calls,
    /** Sets what `name` answers (or throws) for the rest of the test. */
    answer<Name extends keyof MigrationUseCases>(name: Name, implementation: (...args: Parameters<MigrationUseCases[Name]>) => Awaited<ReturnType<MigrationUseCases[Name]>> | Promise<Awaited<ReturnType<MigrationUseCases[Name]>>>): void {
      answers.set(name, implementation);
    },
    /** The use cases called, by name, in order. */
    names(): string[] {
      return calls.map(({ name }) => name);
    },
  };
}

/** The fake of {@link fakeMigrationUseCases}. */
export type FakeMigrationUseCases = ReturnType<typeof fakeMigrationUseCases>;
