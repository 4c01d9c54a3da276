import { describe, expect, it } from 'vitest';
import { parseNextLink } from '../../pipeline/hub/linkHeader.js';
import { parseRateLimit, parseRateLimitPolicy, parseRetryAfter } from '../../pipeline/hub/rateLimitHeaders.js';
import { parseModel } from '../../pipeline/hub/modelRow.js';

describe('Link header', () => {
  it('finds rel="next" verbatim, among other links, with commas inside the URL', () => {
    const h = '<https://huggingface.co/api/models?a=1,2&cursor=eyJ9>; rel="prev", <https://huggingface.co/api/models?limit=1000&cursor=abc%3D>; rel="next"';
    expect(parseNextLink(h)).toBe('https://huggingface.co/api/models?limit=1000&cursor=abc%3D');
  });
  it('returns null without a next link', () => {
    expect(parseNextLink(null)).toBeNull();
    expect(parseNextLink('<https://x/y>; rel="prev"')).toBeNull();
  });
});

describe('RateLimit headers', () => {
  it('parses remaining and reset, quota and window', () => {
    expect(parseRateLimit('"api";r=42;t=17')).toEqual({ remaining: 42, resetSeconds: 17 });
    expect(parseRateLimitPolicy('"fixed window";"api";q=500;w=300')).toEqual({ quota: 500, windowSeconds: 300 });
  });
  it('rejects malformed values', () => {
    expect(parseRateLimit('"api";r=x;t=1')).toBeNull();
    expect(parseRateLimitPolicy('"fixed window";"api";q=0;w=300')).toBeNull();
  });
  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = new Date('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:01:00 GMT', now)).toBe(60);
  });
});

describe('API objects of every vintage', () => {
  it('reads a current object with baseModels', () => {
    const r = parseModel({
      _id: 'x', id: 'unsloth/Qwen2.5-7B-GGUF', author: 'unsloth', createdAt: '2024-09-19T10:00:00.000Z', downloads: 5, downloadsAllTime: 9, likes: 1,
      tags: ['gguf', 'base_model:Qwen/Qwen2.5-7B', 'base_model:quantized:Qwen/Qwen2.5-7B'],
      baseModels: { models: [{ _id: 'y', id: 'Qwen/Qwen2.5-7B' }], relation: 'quantized' },
    });
    expect(r.ok && r.row).toMatchObject({ model_id: 'unsloth/Qwen2.5-7B-GGUF', author: 'unsloth', base_models: ['Qwen/Qwen2.5-7B'], base_relation: 'quantized', downloads_all_time: 9 });
  });
  it('falls back to base_model: tags, and reads a 2022 object with modelId and a legacy id', () => {
    const t = parseModel({ id: 'a/b', tags: ['base_model:merge:x/one', 'base_model:merge:y/two', 'base_model:x/one'] });
    expect(t.ok && t.row).toMatchObject({ base_models: ['x/one', 'y/two'], base_relation: 'merge' });
    const old = parseModel({ modelId: 'gpt2', downloads: 100, tags: ['pytorch'] });
    expect(old.ok && old.row).toMatchObject({ model_id: 'gpt2', author: null, created_at: null, downloads_30d: 100, downloads_all_time: null });
  });
  it('skips objects without an id or with bad counters, by reason', () => {
    expect(parseModel({ downloads: 3 })).toEqual({ ok: false, reason: 'missing_id' });
    expect(parseModel({ id: 'a/b', downloads: -1 })).toEqual({ ok: false, reason: 'bad_counter' });
    expect(parseModel({ id: 'a/b', downloadsAllTime: 1.5 })).toEqual({ ok: false, reason: 'bad_counter' });
    expect(parseModel([1])).toEqual({ ok: false, reason: 'not_an_object' });
    expect(parseModel({ id: '../etc/passwd' })).toEqual({ ok: false, reason: 'bad_id' });
  });
});

describe('createdAt', () => {
  it('keeps the canonical form, normalises other ISO forms, and drops what is not a date', () => {
    expect(parseModel({ id: 'a/b', createdAt: '2024-09-19T10:00:00.000Z' })).toMatchObject({ row: { created_at: '2024-09-19T10:00:00.000Z' } });
    expect(parseModel({ id: 'a/b', createdAt: '2024-09-19T12:00:00+02:00' })).toMatchObject({ row: { created_at: '2024-09-19T10:00:00.000Z' } });
    expect(parseModel({ id: 'a/b', createdAt: 'yesterday' })).toMatchObject({ row: { created_at: null } });
    expect(parseModel({ id: 'a/b', createdAt: '2024-13-01T00:00:00.000Z' })).toMatchObject({ row: { created_at: null } });
  });
});
