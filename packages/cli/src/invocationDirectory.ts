/**
 * The directory relative paths (`--config`, `--file`, `--checkpoint-file`) are resolved from.
 * `npm run cli` / `npm run demo` in a source checkout run the binary from the repository root,
 * so there npm's `INIT_CWD` (the directory the user typed the command in) is the one meant. Run
 * any other way — the installed `kinesis-toolkit`, `npx`, `node dist/bin.js` — it is the process's
 * own working directory, even when an outer npm script set `INIT_CWD`.
 */
export function invocationDirectory(env: NodeJS.ProcessEnv, cwd: string): string {
  const fromRepoScript = env.npm_package_name === 'kinesis-toolkit' && (env.npm_lifecycle_event === 'cli' || env.npm_lifecycle_event === 'demo');
  return fromRepoScript && env.INIT_CWD !== undefined && env.INIT_CWD !== '' ? env.INIT_CWD : cwd;
}
