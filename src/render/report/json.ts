import type { CustomerReport, ServiceReport } from '../../statistics/service-report';
import { batched } from '../chunks';
import { controlToJson, slaToJson, stringifyExact } from '../json';
import { figuresText } from './figures-text';

/** One customer of `report --format json` (docs/reference.md §10). */
export function customerToJson(c: CustomerReport, bucketsS: readonly number[]): Record<string, unknown> {
  return {
    customer_id: c.customerId,
    customer_name: c.customerName,
    channels: { voice: figuresText(c.channels.voice), chat: figuresText(c.channels.chat) },
    days: c.days.map((d) => ({ date: d.date, channel: d.channel, ...figuresText(d.figures) })),
    hours: c.hours.map((h) => ({ hour: h.hour, channel: h.channel, ...figuresText(h.figures) })),
    // the invoice's SLA statement, and which target was met
    sla: {
      ...slaToJson(c.sla),
      met: { service_level: c.sla.met.serviceLevel, average_response: { voice: c.sla.met.averageResponse.voice, chat: c.sla.met.averageResponse.chat } },
    },
    response_histogram: { bucket_upper_seconds: [...bucketsS, null], voice: c.histogram.voice, chat: c.histogram.chat },
    weekday_hour_contacts: c.heat,
  };
}

/** `report --format json`: one document, one customer turned into text at a time. */
export function* reportJsonChunks(r: ServiceReport): Generator<string> {
  yield* batched(pieces(r));
}

function* pieces(r: ServiceReport): Generator<string> {
  const nest = (text: string, indent: string) => text.slice(0, -1).replace(/\n/g, `\n${indent}`);
  yield `{\n  "period": ${r.period === null ? 'null' : nest(stringifyExact(r.period), '  ')},\n`;
  if (r.customers.length === 0) yield '  "customers": []';
  else {
    yield '  "customers": [\n';
    let first = true;
    for (const c of r.customers) {
      yield `${first ? '' : ',\n'}    ${nest(stringifyExact(customerToJson(c, r.bucketsS)), '    ')}`;
      first = false;
    }
    yield '\n  ]';
  }
  yield `,\n  "control": ${nest(stringifyExact(controlToJson(r.control)), '  ')}\n}\n`;
}
