/** SPEC §3 invoice_number: the template with {customer} and {period} filled in. */
export function invoiceNumber(template: string, customerId: string, periodLabel: string): string {
  return template.replace(/\{customer\}/g, customerId).replace(/\{period\}/g, periodLabel);
}
