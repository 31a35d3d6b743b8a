/** Every event-store migration, in application order. Append new ones at the end. */
import { createEventStore } from './2026-11-25-create-event-store';
import { appendBatch } from './2026-11-30-append-batch';
import type { Migration } from './migration';

export const allMigrations: readonly Migration[] = [createEventStore, appendBatch];
