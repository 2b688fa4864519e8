import { mkdtempSync, rmSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiDef, IntegrationDef, RouteDef } from '../model/types.js';
import { packageCode } from './code-package.js';
import { diffMembers, integrationBody, routeBody, snapshotHash } from './deploy-apis.js';
import { renderChanges, sameJson } from './deploy-changes.js';

const dir = mkdtempSync(join(tmpdir(), 'portico-deploy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lambda: IntegrationDef = {
  integrationId: 'hello',
  integrationType: 'AWS_PROXY',
  integrationUri: 'arn:aws:lambda:us-east-1:000000000000:function:hello',
  integrationMethod: 'POST',
  payloadFormatVersion: '2.0',
  timeoutInMillis: 30000,
};

describe('request bodies', () => {
  it('points AWS_PROXY integrations at the ARN the server reported (qualifier kept)', () => {
    const arns = new Map([['hello', 'arn:aws:lambda:eu-west-1:123456789012:function:hello']]);
    expect(integrationBody(lambda, arns).integrationUri).toBe(
      'arn:aws:lambda:eu-west-1:123456789012:function:hello',
    );
    const qualified = { ...lambda, integrationUri: `${lambda.integrationUri}:live` };
    expect(integrationBody(qualified, arns).integrationUri).toBe(
      'arn:aws:lambda:eu-west-1:123456789012:function:hello:live',
    );
    expect(integrationBody(lambda, new Map()).integrationUri).toBe(lambda.integrationUri);
  });
  it('routes target the remote integration id', () => {
    const route: RouteDef = {
      routeId: 'x',
      routeKey: 'GET /a',
      target: 'hello',
      authorizationType: 'NONE',
      apiKeyRequired: false,
    };
    expect(routeBody(route, new Map([['hello', 'abc1234']]))).toEqual({
      routeKey: 'GET /a',
      target: 'integrations/abc1234',
      authorizationType: 'NONE',
      authorizerId: undefined,
      authorizationScopes: undefined,
      apiKeyRequired: false,
      operationName: undefined,
    });
  });
});

describe('comparison', () => {
  it('treats absent, empty and false alike, and ignores key order', () => {
    expect(sameJson({ a: 1, b: {} }, { a: 1 })).toBe(true);
    expect(sameJson({ x: false, y: '' }, undefined)).toBe(true);
    expect(sameJson({ a: { c: 1, d: 2 } }, { a: { d: 2, c: 1 } })).toBe(true);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameJson({ a: 1 }, { a: '1' })).toBe(false);
  });
  it('diffMembers lists only the members the file sets differently (server extras ignored)', () => {
    const want = { integrationUri: 'http://a', timeoutInMillis: 30000, description: undefined };
    expect(
      diffMembers(want, { integrationUri: 'http://a', timeoutInMillis: 30000, connectionType: 'INTERNET' }),
    ).toEqual([]);
    expect(
      diffMembers(want, { integrationUri: 'http://b', timeoutInMillis: 30000, description: 'x' }),
    ).toEqual(['integrationUri', 'description']);
  });
  it('snapshotHash changes with routes and integrations, not with stages', () => {
    const api = {
      apiId: 'p',
      integrations: [lambda],
      routes: [
        {
          routeId: 'r',
          routeKey: 'GET /a',
          target: 'hello',
          authorizationType: 'NONE',
          apiKeyRequired: false,
        },
      ],
      stages: [],
    } as unknown as ApiDef;
    const h = snapshotHash(api, new Map());
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(snapshotHash({ ...api, stages: [{ stageName: 'x' }] } as unknown as ApiDef, new Map())).toBe(h);
    expect(snapshotHash({ ...api, routes: [] }, new Map())).not.toBe(h);
  });
});

describe('renderChanges', () => {
  it('lists changes and counts them', () => {
    expect(
      renderChanges([
        { action: 'created', kind: 'function', name: 'hello' },
        { action: 'updated', kind: 'route', name: 'GET /a', api: 'pets', detail: 'target' },
        { action: 'deployed', kind: 'stage', name: 'prod', api: 'pets', detail: 'deployment abc' },
      ]),
    ).toBe(
      'function hello: created\n' +
        'api pets: route GET /a: updated (target)\n' +
        'api pets: stage prod: deployed (deployment abc)\n' +
        '1 created, 1 updated, 0 deleted, 1 stage deployments.\n',
    );
  });
  it('says "No changes." when only skips happened', () => {
    expect(renderChanges([])).toBe('No changes.\n');
    expect(renderChanges([{ action: 'skipped', kind: 'api', name: 'x', detail: 'why' }])).toBe(
      'api x: skipped (why)\nNo changes.\n',
    );
  });
});

describe('packageCode', () => {
  it('zips a directory deterministically, keeping file modes', async () => {
    const code = join(dir, 'fn');
    mkdirSync(join(code, 'lib'), { recursive: true });
    writeFileSync(join(code, 'index.js'), 'exports.handler = async () => 1;');
    writeFileSync(join(code, 'lib', 'b.js'), 'b');
    writeFileSync(join(code, 'bootstrap'), '#!/bin/sh');
    chmodSync(join(code, 'bootstrap'), 0o755);
    const a = await packageCode(code);
    const b = await packageCode(code);
    expect(a.sha256).toBe(b.sha256);
    expect(a.zip.equals(b.zip)).toBe(true);
    expect(Object.keys(unzipSync(a.zip))).toEqual(['bootstrap', 'index.js', 'lib/b.js']);
    writeFileSync(join(code, 'lib', 'b.js'), 'changed');
    expect((await packageCode(code)).sha256).not.toBe(a.sha256);
  });
  it('uses a .zip file as is', async () => {
    const file = join(dir, 'code.zip');
    writeFileSync(file, Buffer.from('PK-not-really'));
    const pkg = await packageCode(file);
    expect(pkg.zip.toString()).toBe('PK-not-really');
    expect(pkg.sha256).toBe('brWrWGv/73vxLyYiRNoOWNQRJUBYVP6eJPdSS053Rgk=');
  });
});
