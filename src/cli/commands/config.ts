// `walrus-da config env-example|table`: regenerate deploy/walrus-da.env.example and the README's
// settings table from the one option table.
import type { Command } from 'commander';
import { renderConfigTable, renderEnvExample } from '../../config/docs.ts';

export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('print configuration documentation generated from the option table');
  config
    .command('env-example')
    .description('every WALRUS_DA_* variable with its default (deploy/walrus-da.env.example)')
    .action(() => void process.stdout.write(renderEnvExample()));
  config
    .command('table')
    .description('the settings table of the README (markdown)')
    .action(() => void process.stdout.write(`${renderConfigTable()}\n`));
}
