import { CliError } from '../CliError';

/** The package `demo` and `local` need: the local AWS stack and its emulators. */
export const TESTING_PACKAGE = '@kinesis-toolkit/testing';

/**
 * Whether `@kinesis-toolkit/testing` can be loaded. It is an optional peer dependency of the CLI:
 * `produce`, `consume` and `leases` install without the emulators (kinesalite, dynalite, s3rver,
 * kinesis-mock) and PostgreSQL binaries it brings.
 */
export function testingInstalled(resolve: (id: string) => string = require.resolve): boolean {
  try {
    resolve(TESTING_PACKAGE);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return false;
    throw error;
  }
}

/** The one line `demo` and `local` print when the package is missing (exit code 1). */
export function testingMissing(command: string): CliError {
  return new CliError(
    `${command} needs ${TESTING_PACKAGE} (the local AWS stack: kinesalite, dynalite, s3rver, PostgreSQL), which is not installed — ` +
      `run \`npm install ${TESTING_PACKAGE}\` where @kinesis-toolkit/cli is installed (or, in a source checkout, \`npm ci\`).`,
    1,
  );
}
