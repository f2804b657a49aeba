/**
 * The local CloudWatch's state kept across restarts (`--keep`): datapoints, alarm states and alarm
 * history, written through to one SQLite file (node:sqlite) as they change. SQLite commits each write
 * atomically, so a process killed at any moment leaves a readable file holding every write that
 * returned. WAL with synchronous=NORMAL survives a killed process (not a power cut) without an fsync
 * per datapoint.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { AlarmStateJournal } from './alarm-engine';
import type { HistoryItem, HistoryJournal } from './alarm-history';
import type { AlarmStatus } from './alarm-model';
import type { DatapointJournal } from './metric-store';
import { metricKey, type MetricIdentity, type StoredDatapoint } from './model';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS metric_series (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, metric TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS datapoints (series INTEGER NOT NULL REFERENCES metric_series(id), timestamp INTEGER NOT NULL, point TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS datapoints_by_time ON datapoints (timestamp);
CREATE TABLE IF NOT EXISTS alarm_states (name TEXT PRIMARY KEY, status TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alarm_history (id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp INTEGER NOT NULL, item TEXT NOT NULL);
`;

export const KEPT_STATE_FILE = 'cloudwatch.db';

export class KeptCloudWatchState {
  readonly datapoints: DatapointJournal;
  readonly history: HistoryJournal;
  readonly alarmStates: AlarmStateJournal;
  private readonly db: DatabaseSync;
  private closed = false;

  /** Opens (or creates) `<directory>/cloudwatch.db`. */
  constructor(directory: string) {
    mkdirSync(directory, { recursive: true });
    this.db = new DatabaseSync(join(directory, KEPT_STATE_FILE));
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    this.db.exec(SCHEMA);
    this.datapoints = this.datapointJournal();
    this.history = this.historyJournal();
    this.alarmStates = this.alarmStateJournal();
  }

  /** Closes the file. Writes after this are dropped: an evaluation still finishing while the cloud stops. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private write(run: () => void): void {
    if (!this.closed) run();
  }

  private datapointJournal(): DatapointJournal {
    const seriesIds = new Map<string, number | bigint>();
    const insertSeries = this.db.prepare('INSERT INTO metric_series (key, metric) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET key = key RETURNING id');
    const insertPoint = this.db.prepare('INSERT INTO datapoints (series, timestamp, point) VALUES (?, ?, ?)');
    const selectPoints = this.db.prepare('SELECT s.metric, d.point FROM datapoints d JOIN metric_series s ON s.id = d.series ORDER BY d.rowid');
    const deleteBefore = this.db.prepare('DELETE FROM datapoints WHERE timestamp < ?');
    const seriesId = (metric: MetricIdentity) => {
      const key = metricKey(metric);
      let id = seriesIds.get(key);
      if (id === undefined) {
        id = (insertSeries.get(key, JSON.stringify(metric)) as { id: number | bigint }).id;
        seriesIds.set(key, id);
      }
      return id;
    };
    return {
      load: () =>
        (selectPoints.all() as Array<{ metric: string; point: string }>).map((row) => ({
          metric: JSON.parse(row.metric) as MetricIdentity,
          point: JSON.parse(row.point) as StoredDatapoint,
        })),
      append: (metric, point) => this.write(() => insertPoint.run(seriesId(metric), point.timestamp, JSON.stringify(point))),
      prune: (before) => this.write(() => deleteBefore.run(before)),
    };
  }

  private historyJournal(): HistoryJournal {
    const insert = this.db.prepare('INSERT INTO alarm_history (timestamp, item) VALUES (?, ?)');
    const select = this.db.prepare('SELECT item FROM alarm_history ORDER BY id');
    const prune = this.db.prepare('DELETE FROM alarm_history WHERE timestamp < ? OR id <= (SELECT MAX(id) FROM alarm_history) - ?');
    return {
      load: () => (select.all() as Array<{ item: string }>).map((row) => JSON.parse(row.item) as HistoryItem),
      append: (item) => this.write(() => insert.run(item.timestamp, JSON.stringify(item))),
      prune: (before, keep) => this.write(() => prune.run(before, keep)),
    };
  }

  private alarmStateJournal(): AlarmStateJournal {
    const upsert = this.db.prepare('INSERT INTO alarm_states (name, status) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET status = excluded.status');
    const select = this.db.prepare('SELECT name, status FROM alarm_states');
    return {
      load: () => new Map((select.all() as Array<{ name: string; status: string }>).map((row) => [row.name, JSON.parse(row.status) as AlarmStatus])),
      save: (alarmName, status) => this.write(() => upsert.run(alarmName, JSON.stringify(status))),
    };
  }
}
