import { Argument, Command, CommanderError, Option } from 'commander';
import { CallbillError, ConfigError, DataError, EXIT, UsageError } from '../errors';
import { writeStdout } from '../io/stdout';
import { terminalSafe } from '../render/terminal-safe';
import { VERSION } from '../version';
import { DEFAULT_PRICES, resolvePrices } from '../pipeline/load-inputs';
import { completionScript, SHELLS } from '../render/completion';
import type { CompletionCommand, Shell } from '../render/completion';
import { checkCommand } from './check-command';
import { compareCommand } from './compare-command';
import { explainCommand } from './explain-command';
import { importCheckCommand } from './import-check-command';
import { invoiceCommand } from './invoice-command';
import { reportCommand } from './report-command';
import { correctCommand, issueCommand, ledgerBackupCommand, ledgerBalancesCommand, ledgerExportCommand, ledgerInitCommand, ledgerInvoicesCommand, ledgerRunsCommand, ledgerShowCommand } from './ledger-command';
import type { CommandIO } from './io';
import { verifyCommand } from './verify-command';

/** What a command hands back: its stdout, and an exit code when it is not 0 yet the output stands (explain of a rejected row). */
interface CommandResult {
  output: string;
  /** A long stdout, rendered piece by piece as it is written (after `output`). */
  chunks?: Iterable<string>;
  exitCode?: number;
}

function common(cmd: Command): Command {
  return cmd
    .option('-p, --prices <file>', `price list YAML (default: $CALLBILL_PRICES, else ${DEFAULT_PRICES} in the current folder)`)
    .option('--period <YYYY-MM>', 'bill this calendar month (in the price list\'s timezone); records outside it are counted, not billed')
    .option('--no-color', 'plain output (also: NO_COLOR, a non-TTY stdout)')
    .option('-q, --quiet', 'no progress or notices on stderr')
    .option('--import <name|file>', `read platform exports through an import profile (built in: asterisk, connect, five9, freeswitch, twilio; or a profile YAML)`)
    .option('--delimiter <,|;|tab>', 'the field delimiter of usage and extras files (default: found from each header line)')
    .option('--date-format <pattern>', 'how started_at is written, e.g. "DD/MM/YYYY HH:MM" (default: ISO 8601)');
}

/** --jobs, for the commands that read usage in bulk (issue #5). */
function jobs(cmd: Command): Command {
  return cmd.option('--jobs <n>', 'threads that rate large usage files (default: every core; 1 = this thread only)');
}

function build(io: CommandIO, result: CommandResult): Command {
  const program = new Command('callbill')
    .description('Billing calculator for contact-centre outsourcing: rates voice and chat usage with a YAML price list and prints invoices.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => (result.output += s),
      // commander quotes what was typed (an unknown command, option or choice): escaped like every other message
      writeErr: (s) => io.stderr.write(terminalSafeLines(s)),
      outputError: (s, write) => write(`callbill: ${s.replace(/^error: /, '')}`),
    });

  jobs(common(program.command('invoice')))
    .summary('rate usage and produce invoices (the main job)')
    .description('Rate usage CSV files with the price list and print one invoice per customer.')
    .argument('<usage...>', 'usage CSV files (- for standard input)')
    .addOption(new Option('--format <format>', 'what goes to stdout').choices(['table', 'csv', 'json']).default('table'))
    .option('--detail', 'with --format csv: one row per invoice line')
    .option('-o, --out <dir>', 'also write invoices.json, invoices.csv and invoice-lines.csv into dir')
    .option('--documents <dir>', 'also write <number>.html and <number>.pdf, the documents to send, for every invoice into dir')
    .option('--font <file>', 'with --documents: a TrueType font for the PDFs, for scripts the shipped DejaVu Sans lacks')
    .option('--balances-in <file>', 'opening diversion balances (CSV customer_id,diversion_balance)')
    .option('--balances-out <file>', 'write closing diversion balances (CSV)')
    .option('--rejects <file>', 'write bad usage rows here and bill the good ones')
    .option('--issue-date <YYYY-MM-DD>', 'invoice issue date (default: today in the price list\'s timezone)')
    .option('--rated <file>', 'also write one CSV row per billed record (how each was rated), for checking a bill in a spreadsheet')
    .option('--ledger <file>', 'preview the next `issue`: opening balances, numbers and skipped records from this ledger; stores nothing')
    .option('--extras <file>', 'services on request (CSV customer_id,date,service,quantity,reference; - for standard input); may be repeated', (v: string, prev: string[] = []) => [...prev, v])
    .addHelpText(
      'after',
      `
Examples:
  callbill invoice --period 2026-10 fixtures/example-2026-10/voice.csv fixtures/example-2026-10/chat.csv
  callbill invoice --period 2026-10 --format csv --detail calls.csv > lines.csv
  callbill invoice --period 2026-11 --balances-in oct-balances.csv --balances-out nov-balances.csv -o out/ usage.csv
  callbill invoice --period 2026-10 --rated rated-2026-10.csv calls.csv chats.csv
  callbill invoice --period 2026-10 --documents out/2026-10/documents calls.csv chats.csv
  callbill invoice --period 2026-10 --extras fixtures/example-2026-10/extras.csv fixtures/example-2026-10/voice.csv fixtures/example-2026-10/chat.csv`,
    )
    .action(async (files: string[], opts) => {
      if (opts.ledger !== undefined) {
        result.chunks = await issueCommand(files, opts, io, true);
        return;
      }
      result.chunks = await invoiceCommand(files, opts, io);
    });

  jobs(common(program.command('report')))
    .summary('service statistics per customer, per day and per hour, with charts in HTML')
    .description(
      'Read usage as `invoice` does and print, per customer and channel, the contacts offered, answered, abandoned and diverted, ' +
        'the abandonment, the service level and the average response against the SLA targets (the figures of the invoice\'s SLA statement), ' +
        'the average handled time and the billed minutes; then the same per local day and per local hour of the day. ' +
        '--format html writes one self-contained page with charts.',
    )
    .argument('<usage...>', 'usage CSV files (- for standard input)')
    .addOption(new Option('--format <format>', 'what goes to stdout').choices(['table', 'csv', 'json', 'html']).default('table'))
    .addOption(new Option('--by <unit>', 'with --format csv: one row per customer, channel and day, or per hour of the day').choices(['day', 'hour']))
    .option('--rejects <file>', 'write bad usage rows here and report on the good ones')
    .addHelpText(
      'after',
      `
Examples:
  callbill report --period 2026-10 fixtures/example-2026-10/voice.csv fixtures/example-2026-10/chat.csv
  callbill report --period 2026-10 --format html calls.csv chats.csv > service-2026-10.html
  callbill report --period 2026-10 --format csv --by hour calls.csv chats.csv > hours.csv`,
    )
    .action(async (files: string[], opts) => {
      result.chunks = await reportCommand(files, opts, io);
    });

  ledgerCommands(program, io, result);


  program
    .command('verify')
    .summary('check a run\'s --out folder against its audit: hashes, then a re-run compared byte for byte')
    .description(
      'Recompute the SHA-256 of the price list, the opening balances and the inputs recorded in <out-dir>/invoices.json ' +
        '(or of the inputs given, in the same order), re-run the invoicing with the recorded options and compare ' +
        'invoices.json, invoices.csv and invoice-lines.csv byte for byte. Exit 0 when all match, 65 when something differs, 66 when a file is missing.',
    )
    .argument('<out-dir>', 'the folder a run wrote with --out')
    .argument('[usage...]', 'the usage files in place of those the audit names (same order)')
    .option('-p, --prices <file>', 'the price list in place of the one the audit names')
    .option('--balances-in <file>', 'the opening balances in place of those the audit names')
    .option('--ledger <file>', 'for an issue run that skipped records: the ledger in place of the one the audit names')
    .option('-q, --quiet', 'no notices on stderr')
    .addHelpText(
      'after',
      `
Examples:
  callbill verify out/2026-10
  callbill verify out/2026-10 archive/2026-10/voice.csv archive/2026-10/chat.csv`,
    )
    .action(async (outDir: string, files: string[], opts) => {
      result.output += await verifyCommand(outDir, files, opts, io);
    });

  common(program.command('explain'))
    .summary('show how one record was rated, step by step')
    .description(
      'Show how one usage record was rated: the row as read, the plan version and why, the local start and its band, ' +
        'the increment arithmetic, the exact amounts before rounding, tiers, and for a diverted record the prefix, ' +
        'the transfer cost and the diversion ledger before and after it. The inputs are read as `invoice` reads them, ' +
        'so --period and --balances-in give the same figures as the invoice.',
    )
    .argument('[usage...]', 'usage CSV files (- for standard input), all of the period: tiers and the ledger count the other records')
    .option('--record <id>', 'the record_id to explain')
    .option('--extras <file>', 'with --row: explain a row of this extras file (services on request) instead of a usage record; may be repeated', (v: string, prev: string[] = []) => [...prev, v])
    .option('--row <n>', 'with --extras: the line on which the row starts in the first extras file (header = line 1)')
    .addOption(new Option('--format <format>', 'what goes to stdout').choices(['table', 'json']).default('table'))
    .option('--balances-in <file>', 'opening diversion balances (CSV customer_id,diversion_balance)')
    .addHelpText(
      'after',
      `
Exit status: 0 when the record is billed or outside --period; 65 when no row has
that record_id, or when its row is rejected (the explanation then says why).

Examples:
  callbill explain --period 2026-10 --record A-V05 fixtures/example-2026-10/voice.csv fixtures/example-2026-10/chat.csv
  callbill explain -p fixtures/diversion-chain/prices.yaml --period 2026-11 \\
      --balances-in fixtures/diversion-chain/balances-2026-10.csv --record N-A3 fixtures/diversion-chain/nov.csv
  callbill explain --period 2026-10 --record A-V05 --format json calls.csv chats.csv | jq .diversion.ledger
  callbill explain --period 2026-10 --extras fixtures/example-2026-10/extras.csv --row 3`,
    )
    .action(async (files: string[], opts) => {
      const r = await explainCommand(files, opts, io);
      result.output += r.output;
      if (r.exitCode !== 0) result.exitCode = r.exitCode;
    });

  common(program.command('compare'))
    .summary('same usage, two price lists: the difference per customer')
    .description(
      'Invoice the same usage under two price lists, A (--prices) and B (--against), and show for each customer ' +
        'the total under A and under B, the difference B − A and its percentage, and the difference per line code; ' +
        'then the totals. Customers are sorted by the largest absolute difference (ties by customer_id). ' +
        'Useful when a price list is amended. Both lists must be in the same currency (else exit 78); ' +
        'a row that either list cannot bill stops the comparison (exit 65).',
    )
    .argument('<usage...>', 'usage CSV files (- for standard input)')
    .requiredOption('--against <b.yaml>', 'the price list B to compare with A (--prices)')
    .addOption(new Option('--format <format>', 'what goes to stdout').choices(['table', 'csv', 'json']).default('table'))
    .option('--balances-in <file>', 'opening diversion balances (CSV customer_id,diversion_balance), for both lists')
    .addHelpText(
      'after',
      `
Totals include tax; a line code's amount is the sum of the invoice's lines with
that code, and "tax" is a row of its own, so a customer's rows add up to its
difference.

Examples:
  callbill compare --period 2026-10 -p fixtures/explain/compare/a.yaml \\
      --against fixtures/explain/compare/b.yaml fixtures/explain/compare/usage.csv
  callbill compare --period 2026-10 -p price-lists/default.yaml --against new-prices.yaml calls.csv chats.csv
  callbill compare --format csv --prices old.yaml --against new.yaml usage.csv > difference.csv`,
    )
    .action(async (files: string[], opts) => {
      result.output += await compareCommand(files, opts, io);
    });

  jobs(common(program.command('check')))
    .summary('validate the price list (and usage files) without invoicing')
    .description('Validate the price list and, when given, the usage files; report every problem found.')
    .argument('[usage...]', 'usage CSV files (- for standard input)')
    .option('--customers', 'also list the customers and plans the price list knows, and what becomes of a customer it does not list')
    .addHelpText(
      'after',
      `
Examples:
  callbill check
  callbill check --customers
  callbill check --prices price-lists/default.yaml --period 2026-10 calls.csv chats.csv`,
    )
    .action(async (files: string[], opts) => {
      result.output += await checkCommand(files, opts, io);
    });
  program
    .command('import-check')
    .summary('show how an import profile reads an export, before billing it')
    .description('Validate an import profile and show the first rows of each file as callbill reads them, in the usage columns of docs/reference.md §2.')
    .argument('[files...]', 'platform export files (- for standard input)')
    .requiredOption('--import <name|file>', 'import profile: asterisk, connect, five9, freeswitch, twilio, or a profile YAML')
    .option('--rows <n>', 'how many rows to show per file', '10')
    .addHelpText(
      'after',
      `
Examples:
  callbill import-check --import asterisk fixtures/import/asterisk/Master.csv
  callbill import-check --import my-pbx.yaml --rows 3 export.csv`,
    )
    .action(async (files: string[], opts) => {
      result.output += await importCheckCommand(files, opts, io);
    });
  program
    .command('completion')
    .summary('print a shell completion script (bash, zsh or fish)')
    .description('Print a completion script for the shell named, made from the commands and options of this callbill.')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .addHelpText(
      'after',
      `
Examples:
  source <(callbill completion bash)                        # this bash session; add the line to ~/.bashrc to keep it
  callbill completion zsh > "\${fpath[1]}/_callbill"
  callbill completion fish > ~/.config/fish/completions/callbill.fish`,
    )
    .action((shell: Shell) => {
      result.output += completionScript(shell, describe(program));
    });

  // before any action: option values that are options, and the price list's default
  program.hook('preAction', (_program, action) => {
    refuseOptionsAsValues(action);
    if (action.name() !== 'verify' && action.options.some((o) => o.attributeName() === 'prices')) {
      action.setOptionValue('prices', resolvePrices(action.getOptionValue('prices') as string | undefined, io.env, process.cwd()));
    }
  });
  return program;
}

/**
 * `--prices --period 2026-10 f.csv` gives --prices the value `--period`: commander takes
 * the next word whatever it is. A value that is itself written like an option is refused
 * (64), naming both; a file whose name starts with `-` is written `./-name`.
 */
function refuseOptionsAsValues(cmd: Command): void {
  for (const o of cmd.options) {
    const v: unknown = cmd.getOptionValue(o.attributeName());
    for (const x of Array.isArray(v) ? v : [v]) {
      if (typeof x === 'string' && /^(--[A-Za-z]|-[A-Za-z]$)/.test(x) && cmd.getOptionValueSource(o.attributeName()) === 'cli') {
        throw new UsageError(`${o.long ?? o.short}: expected its value, found the option ${terminalSafe(x)}; give ${o.long ?? o.short} a value (a file whose name starts with - is written ./${terminalSafe(x)})`);
      }
    }
  }
}

/** The command line as the completion scripts see it: every command and option of the commander definitions. */
function describe(cmd: Command): CompletionCommand {
  return {
    name: cmd.name(),
    description: cmd.summary() || cmd.description().split('\n')[0]!,
    options: [
      ...cmd.options.map((o) => ({
        flags: [o.short, o.long].filter((f): f is string => f !== undefined),
        takesValue: o.required || o.optional,
        choices: o.argChoices ?? [],
        description: o.description,
      })),
      { flags: ['-h', '--help'], takesValue: false, choices: [], description: 'display help for command' },
    ],
    argumentChoices: cmd.registeredArguments.flatMap((a) => a.argChoices ?? []),
    commands: cmd.commands.filter((c) => c.name() !== 'help').map(describe),
  };
}

const LEDGER_HELP = 'the ledger file (default: $CALLBILL_LEDGER, else ./callbill.db)';

/** SPEC §7: issue, correct and the ledger's own commands. */
function ledgerCommands(program: Command, io: CommandIO, result: CommandResult): void {
  jobs(common(program.command('issue')))
    .summary('invoice and record it in the ledger: numbers, balances, billed records')
    .description(
      'The same calculation as `invoice`, recorded in the ledger in one transaction: invoice numbers from the ledger\'s series, ' +
        'opening diversion balances from the last issued month, records billed before skipped, late records reported. ' +
        'The ledger commits before any --out file is written.',
    )
    .argument('<usage...>', 'usage CSV files (- for standard input)')
    .addOption(new Option('--format <format>', 'what goes to stdout').choices(['table', 'csv', 'json']).default('table'))
    .option('--detail', 'with --format csv: one row per invoice line')
    .option('-o, --out <dir>', 'also write invoices.json, invoices.csv and invoice-lines.csv into dir')
    .option('--documents <dir>', 'also write <number>.html and <number>.pdf for every invoice into dir (after the ledger commits)')
    .option('--font <file>', 'with --documents: a TrueType font for the PDFs, for scripts the shipped DejaVu Sans lacks')
    .option('--balances-in <file>', 'opening balances of customers new to the ledger (the move from balance files)')
    .option('--rejects <file>', 'write bad usage rows here and bill the good ones')
    .option('--issue-date <YYYY-MM-DD>', 'invoice issue date (default: today in the price list\'s timezone)')
    .option('--extras <file>', 'services on request (CSV customer_id,date,service,quantity,reference; - for standard input); may be repeated', (v: string, prev: string[] = []) => [...prev, v])
    .option('--ledger <file>', LEDGER_HELP)
    .addHelpText(
      'after',
      `
Examples:
  callbill ledger init
  callbill invoice --ledger callbill.db --period 2026-10 calls.csv chats.csv     # preview
  callbill issue --period 2026-10 -o out/2026-10 calls.csv chats.csv
  callbill issue --period 2026-10 --extras extras.csv --documents out/2026-10/documents calls.csv chats.csv`,
    )
    .action(async (files: string[], opts) => {
      result.chunks = await issueCommand(files, opts, io);
    });

  common(program.command('correct'))
    .summary('re-rate an issued month: credit notes and replacements')
    .description(
      'Re-rate an issued month from its complete usage (late records included). For each customer whose invoice changes: ' +
        'a credit note reversing the original in full and a replacement with a new number; unchanged customers get nothing. ' +
        'Refused (65) when a record billed on an original is missing from the usage given.',
    )
    .argument('<usage...>', 'the complete usage of the month (- for standard input)')
    .option('--customer <id...>', 'correct only these customers')
    .option('--dry-run', 'show what would be issued; store nothing')
    .addOption(new Option('--format <format>', 'what goes to stdout (csv: one row per document issued)').choices(['table', 'csv', 'json']).default('table'))
    .option('--detail', 'with --format csv: one row per line of the documents issued')
    .option('-o, --out <dir>', 'also write invoices.json, invoices.csv and invoice-lines.csv of the documents issued into dir')
    .option('--documents <dir>', 'also write <number>.html and <number>.pdf for every credit note and replacement into dir')
    .option('--font <file>', 'with --documents: a TrueType font for the PDFs, for scripts the shipped DejaVu Sans lacks')
    .option('--rejects <file>', 'write bad usage rows here and bill the good ones')
    .option('--issue-date <YYYY-MM-DD>', 'issue date of the credit notes and replacements (default: today)')
    .option('--extras <file>', 'services on request of the month (CSV customer_id,date,service,quantity,reference); may be repeated', (v: string, prev: string[] = []) => [...prev, v])
    .option('--ledger <file>', LEDGER_HELP)
    .addHelpText(
      'after',
      `
Examples:
  callbill correct --period 2026-10 --dry-run oct-calls.csv oct-chats.csv
  callbill correct --period 2026-10 --customer ACME oct-calls.csv oct-chats.csv
  callbill correct --period 2026-10 --extras oct-extras.csv -o out/2026-10-correction --documents out/2026-10-correction/documents oct-calls.csv`,
    )
    .action(async (files: string[], opts) => {
      if (opts.period === undefined) throw new UsageError('correct needs --period YYYY-MM, the month to correct');
      result.output += await correctCommand(files, opts, io);
    });

  const ledger = program.command('ledger').summary('create and read the ledger').description('Create the ledger, list and show its documents, balances and runs, export or back it up.');
  ledger
    .command('init')
    .description('Create a new ledger (the only command that creates one).')
    .option('--ledger <file>', LEDGER_HELP)
    .option('-q, --quiet', 'no notice on stderr')
    .action((opts) => {
      result.output += ledgerInitCommand(opts, io);
    });
  ledger
    .command('invoices')
    .description('List every document (invoices and credit notes) in the order issued.')
    .option('--period <YYYY-MM>', 'only this month')
    .option('--customer <id>', 'only this customer')
    .addOption(new Option('--format <format>', 'what goes to stdout').choices(['table', 'csv', 'json']).default('table'))
    .option('--ledger <file>', LEDGER_HELP)
    .action((opts) => {
      result.output += ledgerInvoicesCommand(opts, io);
    });
  ledger
    .command('show')
    .description('Print a stored document exactly as issued; with --documents, write its HTML and PDF again from what is stored.')
    .argument('<number>', 'the invoice or credit note number')
    .addOption(new Option('--format <format>', 'what goes to stdout').choices(['table', 'json']).default('table'))
    .option('--documents <dir>', 'also write <number>.html and <number>.pdf into dir, from the stored document and the price list it was issued with')
    .option('--font <file>', 'with --documents: a TrueType font for the PDF (else the price list\'s documents.font, else the shipped one)')
    .option('--ledger <file>', LEDGER_HELP)
    .action(async (number: string, opts) => {
      result.output += await ledgerShowCommand(number, opts, io);
    });
  ledger
    .command('balances')
    .description('Each customer\'s diversion balance: the closing balance of its latest issued invoice plus pending adjustments.')
    .addOption(new Option('--format <format>', 'what goes to stdout (csv: the --balances-in format)').choices(['table', 'csv', 'json']).default('table'))
    .option('--ledger <file>', LEDGER_HELP)
    .action((opts) => {
      result.output += ledgerBalancesCommand(opts, io);
    });
  ledger
    .command('runs')
    .description('Every issue and correct run: time, version, command line, inputs with their SHA-256, control figures.')
    .addOption(new Option('--format <format>', 'what goes to stdout').choices(['table', 'json']).default('table'))
    .option('--ledger <file>', LEDGER_HELP)
    .action((opts) => {
      result.output += ledgerRunsCommand(opts, io);
    });
  ledger
    .command('export')
    .description('Write invoices.csv, invoice-lines.csv, credit-notes.csv and balances.csv from what is stored.')
    .requiredOption('-o, --out <dir>', 'the folder to write into')
    .option('--ledger <file>', LEDGER_HELP)
    .action((opts) => {
      result.output += ledgerExportCommand({ ...opts, format: 'csv' }, io);
    });
  ledger
    .command('backup')
    .description('Copy the ledger with SQLite\'s online backup (consistent while another run writes); never over an existing file.')
    .argument('<file>', 'the backup file to create')
    .option('--ledger <file>', LEDGER_HELP)
    .action(async (file: string, opts) => {
      result.output += await ledgerBackupCommand(file, { ...opts, format: 'table' }, io);
    });
}

/** Runs the CLI; returns the exit code. Known errors print clean lines; others are bugs (70). */
export async function main(argv: readonly string[], io: CommandIO): Promise<number> {
  const result: CommandResult = { output: '' };
  const program = build({ ...io, argv: io.argv ?? argv }, result);
  // `callbill version` as `callbill --version`
  if (argv[0] === 'version') argv = ['--version', ...argv.slice(1)];
  // `callbill help nosuch` would print the general help and exit 0, as if all were well
  if (argv[0] === 'help' && argv[1] !== undefined && !program.commands.some((c) => c.name() === argv[1] || c.aliases().includes(argv[1]!))) {
    io.stderr.write(`callbill: unknown command ${terminalSafe(JSON.stringify(argv[1]))} (callbill --help lists the commands)\n`);
    return EXIT.USAGE;
  }
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
  } catch (e) {
    const code = reportError(e, io);
    // help and --version end in a CommanderError after writing to result.output: show them
    if (code === EXIT.OK && result.output !== '') return emit(io, [result.output], code);
    return code;
  }
  return emit(io, result.chunks ? then(result.output, result.chunks) : [result.output], result.exitCode ?? EXIT.OK);
}

function* then(first: string, rest: Iterable<string>): Generator<string> {
  yield first;
  yield* rest;
}

/** Writes the output; a write that fails (not a reader that has gone) is 74 with a message. */
async function emit(io: CommandIO, chunks: Iterable<string>, code: number): Promise<number> {
  try {
    await writeStdout(io.stdout, chunks);
    return code;
  } catch (e) {
    return reportError(e, io);
  }
}

function reportError(e: unknown, io: CommandIO): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.OK;
    return EXIT.USAGE;
  }
  if (e instanceof CallbillError) {
    const lines = e.lines().map((l) => terminalSafe(l));
    if (e instanceof ConfigError) {
      lines.push(`callbill: ${e.diagnostics.length} problem${e.diagnostics.length === 1 ? '' : 's'} found; nothing was written`);
    } else if (e instanceof DataError) {
      lines[lines.length - 1] = `callbill: ${lines[lines.length - 1]}`;
    } else {
      lines[0] = `callbill: ${lines[0]}`;
    }
    io.stderr.write(lines.join('\n') + '\n');
    return e.exitCode;
  }
  const err = e as Error;
  io.stderr.write(`callbill: internal error: ${terminalSafe(err?.message ?? String(e))} (this is a bug; DEBUG=callbill shows the stack)\n`);
  if ((io.env.DEBUG ?? '').split(',').includes('callbill') && err?.stack) io.stderr.write(terminalSafeLines(err.stack) + '\n');
  return EXIT.SOFTWARE;
}

/** Escapes each line of commander's text, keeping its line breaks. */
function terminalSafeLines(s: string): string {
  return s.split('\n').map((l) => terminalSafe(l)).join('\n');
}

/** Entry point of bin/callbill.js. */
export function run(): void {
  // `callbill … | head` closes the pipe early: that is not an error
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  const io: CommandIO = { stdout: process.stdout, stderr: process.stderr, env: process.env, now: () => Date.now() };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`callbill: internal error: ${terminalSafe(String((e as Error)?.message))}\n`);
      process.exitCode = EXIT.SOFTWARE;
    },
  );
}
