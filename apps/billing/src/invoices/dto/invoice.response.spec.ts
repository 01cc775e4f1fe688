import { InvoiceLine } from '../invoice-line.entity';
import { Invoice } from '../invoice.entity';
import { InvoiceResponse } from './invoice.response';

describe('InvoiceResponse', () => {
  const invoice = (lines?: InvoiceLine[]) =>
    Object.assign(new Invoice(), {
      id: 'invoice-1',
      accountId: 'account-1',
      patientId: 'patient-1',
      appointmentId: null,
      currency: 'EUR',
      totalMinor: 5000,
      paidMinor: 1500,
      status: 'OPEN' as const,
      issuedAt: new Date(Date.UTC(2026, 10, 23, 10)),
      lines,
    });

  it('shows what is still owed, the issue time in ISO form and the lines without their row ids', () => {
    const line = Object.assign(new InvoiceLine(), { id: 'line-1', invoiceId: 'invoice-1', position: 1, description: 'Appointment 2026-11-23', quantity: 1, unitPriceMinor: 5000, amountMinor: 5000 });
    const response = InvoiceResponse.from(invoice([line]));
    expect(response).toMatchObject({ totalMinor: 5000, paidMinor: 1500, remainingMinor: 3500, appointmentId: null, issuedAt: '2026-11-23T10:00:00.000Z' });
    expect(response.lines).toEqual([{ description: 'Appointment 2026-11-23', quantity: 1, unitPriceMinor: 5000, amountMinor: 5000 }]);
  });

  it('answers an empty list of lines for an invoice read without them', () => {
    expect(InvoiceResponse.from(invoice()).lines).toEqual([]);
  });
});
