import { describe, expect, it } from 'vitest';
import { applyEventInput } from '../../../core/scheduling/event-input.ts';

const EVENT = {
  id: 'e-1',
  source: 'shop.orders',
  'detail-type': 'OrderPlaced',
  time: '2025-01-01T00:00:00Z',
  detail: { orderId: 'o-1', amount: 42, items: [{ sku: 'A' }, { sku: 'B' }], customer: { id: 'c-9' } },
};

describe('applyEventInput', () => {
  it('GIVEN no input setting or kind event THEN the whole event is the input', () => {
    expect(applyEventInput(undefined, EVENT)).toBe(EVENT);
    expect(applyEventInput({ kind: 'event' }, EVENT)).toBe(EVENT);
  });

  it('GIVEN a path THEN the value there is the input, null when absent', () => {
    expect(applyEventInput({ kind: 'path', path: '$.detail' }, EVENT)).toEqual(EVENT.detail);
    expect(applyEventInput({ kind: 'path', path: '$.detail.items[1].sku' }, EVENT)).toBe('B');
    expect(applyEventInput({ kind: 'path', path: '$.detail.missing' }, EVENT)).toBeNull();
  });

  it('GIVEN a template THEN whole-string placeholders become values and inner ones are spliced', () => {
    const template = {
      orderId: '<$.detail.orderId>',
      amount: '<$.detail.amount>',
      customer: '<$.detail.customer>',
      label: 'order <$.detail.orderId> of <$.detail.amount> for <$.detail.customer>',
      missing: '<$.detail.nothing>',
      gap: 'x<$.detail.nothing>y',
      constant: [1, true, null, 'plain'],
    };
    expect(applyEventInput({ kind: 'template', template }, EVENT)).toEqual({
      orderId: 'o-1',
      amount: 42,
      customer: { id: 'c-9' },
      label: 'order o-1 of 42 for {"id":"c-9"}',
      missing: null,
      gap: 'xy',
      constant: [1, true, null, 'plain'],
    });
  });
});
