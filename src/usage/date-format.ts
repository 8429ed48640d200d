import { UsageError } from '../errors';
import { compilePatternSteps, compileTimestampParser, newParts, toEpochMillis } from '../import/timestamps';
import type { TimestampParser } from '../import/timestamps';
import type { Zone } from '../time/zone';

/**
 * `--date-format <pattern>` (docs/reference.md §2): `started_at` (and an extras row's
 * `date`) written as the pattern says, in the pattern language of import profiles'
 * `timestamps.format` (`DD/MM/YYYY HH:MM`, `MM/DD/YYYY h:MM AM`, `YYYY-MM-DD HH:MM:SS`).
 * Local time in the price list's timezone unless the pattern has an offset (`Z`).
 */
export class DateFormat {
  private readonly parse: TimestampParser;
  private readonly parts = newParts();
  private constructor(readonly pattern: string, parse: TimestampParser) {
    this.parse = parse;
  }

  /** The compiled pattern; a pattern that is not one is a command-line error (64). */
  static of(pattern: string): DateFormat {
    const steps = compilePatternSteps(pattern);
    if (typeof steps === 'string') throw new UsageError(`--date-format: ${steps}`);
    return new DateFormat(pattern, compileTimestampParser({ kind: 'pattern', text: pattern, steps }));
  }

  /** The instant of `text` read in `zone` (DST as §2 says), or what is wrong. */
  instant(text: string, zone: Zone): number | string {
    const p = this.parts;
    if (!this.parse(text, p)) return `expected a date and time as ${this.pattern} (--date-format)`;
    return toEpochMillis(p, { kind: 'local' }, zone);
  }
}
