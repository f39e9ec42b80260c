// STUB (skeleton): commander entry; subcommands are added by each area (diagnose, playbooks, agent, serve).
export async function main(argv: string[]): Promise<number> {
  console.log(`helm-triage: not yet implemented (${argv.slice(2).join(' ')})`);
  return 0;
}
