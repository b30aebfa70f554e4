import { Router } from 'express';
import type { z } from 'zod';
import type { Administration } from './admin';
import { fieldErrorsFromZod, problems } from './problems';
import { armDriftBody, armFaultBody, armRemoveBody, credentialsBody, settingsBody } from './schemas';

function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw problems.invalidBody(fieldErrorsFromZod(parsed.error));
  return parsed.data;
}

/**
 * The `/admin` router: test controls, outside the provider API, so they take no
 * Idempotency-Key and no fault ever breaks them.
 */
export function createAdminRouter(administration: Administration): Router {
  const router = Router();
  router.get('/operations', (_req, res) => {
    res.json(administration.listOperations());
  });
  router.get('/faults', (_req, res) => {
    res.json(administration.listFaults());
  });
  router.get('/faults/held-calls', (_req, res) => {
    res.json(administration.heldCalls());
  });
  router.post('/faults', (req, res) => {
    res.status(201).json(administration.armFault(parseBody(armFaultBody, req.body)));
  });
  router.delete('/faults', (_req, res) => {
    res.json(administration.clearFaults());
  });
  router.get('/resources', (_req, res) => {
    res.json(administration.inventory());
  });
  router.put('/credentials', (req, res) => {
    res.json(administration.setCredentials(parseBody(credentialsBody, req.body)));
  });
  router.get('/settings', (_req, res) => {
    res.json(administration.readSettings());
  });
  router.put('/settings', (req, res) => {
    res.json(administration.writeSettings(parseBody(settingsBody, req.body)));
  });
  router.get('/arm/resources', (_req, res) => {
    res.json(administration.armResources());
  });
  router.post('/arm/drift', (req, res) => {
    res.json(administration.driftArmResource(parseBody(armDriftBody, req.body)));
  });
  router.post('/arm/remove', (req, res) => {
    res.json(administration.removeArmResource(parseBody(armRemoveBody, req.body).id));
  });
  router.post('/reset', (_req, res) => {
    res.json(administration.reset());
  });
  return router;
}
