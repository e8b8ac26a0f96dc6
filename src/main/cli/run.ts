/** Parses the arguments of `zoe` and runs the command; resolves to the process exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help') {
    process.stdout.write('usage: zoe <depth|models|measure> …\n');
    return 0;
  }
  process.stderr.write(`zoe: unknown command “${argv[0]}”\n`);
  return 2;
}
