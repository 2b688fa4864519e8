import { describe, expect, it } from 'vitest';
import type { ApiDef } from '../../model/types.js';
import { autoDeploy } from './api-access.js';

function api(): ApiDef {
  return {
    apiId: 'a1b2c3d4e5',
    name: 'x',
    protocolType: 'HTTP',
    routeSelectionExpression: '${request.method} ${request.path}',
    apiKeySelectionExpression: '$request.header.x-api-key',
    disableExecuteApiEndpoint: false,
    createdDate: '2024-05-01T12:00:00Z',
    tags: {},
    routes: [{ routeId: 'r1', routeKey: 'GET /a', authorizationType: 'NONE', apiKeyRequired: false }],
    integrations: [],
    authorizers: [],
    stages: [
      { stageName: 'auto', stageVariables: {}, autoDeploy: true, createdDate: 'd', lastUpdatedDate: 'd' },
      { stageName: 'manual', stageVariables: {}, autoDeploy: false, createdDate: 'd', lastUpdatedDate: 'd' },
    ],
    deployments: [],
    source: 'api',
  };
}

describe('autoDeploy', () => {
  const now = new Date('2024-05-01T12:30:00.500Z');

  it('deploys auto-deploy stages only, and only when the working copy changed', () => {
    const a = api();
    autoDeploy(a, now);
    expect(a.deployments).toHaveLength(1);
    const first = a.deployments[0];
    expect(first).toMatchObject({ autoDeployed: true, createdDate: '2024-05-01T12:30:00Z' });
    expect(first?.snapshot.routes.map((r) => r.routeKey)).toEqual(['GET /a']);
    expect(a.stages[0]?.deploymentId).toBe(first?.deploymentId);
    expect(a.stages[1]?.deploymentId).toBeUndefined();

    autoDeploy(a, now);
    expect(a.deployments).toEqual([first]);

    a.routes.push({ routeId: 'r2', routeKey: 'GET /b', authorizationType: 'NONE', apiKeyRequired: false });
    autoDeploy(a, now);
    // The superseded auto-deployment is dropped; the snapshot is a copy, not the working list.
    expect(a.deployments).toHaveLength(1);
    expect(a.deployments[0]?.deploymentId).not.toBe(first?.deploymentId);
    expect(a.deployments[0]?.snapshot.routes).toHaveLength(2);
    a.routes.pop();
    expect(a.deployments[0]?.snapshot.routes).toHaveLength(2);
  });

  it('keeps an auto-deployment that a manual stage still serves', () => {
    const a = api();
    autoDeploy(a, now);
    const first = a.deployments[0]?.deploymentId;
    (a.stages[1] as { deploymentId?: string }).deploymentId = first;
    a.routes = [];
    autoDeploy(a, now);
    expect(a.deployments.map((d) => d.deploymentId)).toContain(first);
    expect(a.deployments).toHaveLength(2);
  });
});
