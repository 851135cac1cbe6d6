// The monthly report's figures, computed from the records (the report-figures helper owns this
// file). The signatures below are the interface the report screens and exports build on; they
// stay, the bodies are being written.
import type { PrismaClient, TransactionClient } from '@dp/db';
import type { ReportFigures } from '@dp/protocol';

export type Db = PrismaClient | TransactionClient;

/** The reporting period of `month` ('YYYY-MM') for one institution, in its time zone. */
export interface ReportPeriod {
  month: string;
  /** Inclusive start, UTC instant of local midnight. */
  from: Date;
  /** Exclusive end, UTC instant of local midnight. */
  to: Date;
  timeZone: string;
}

/** The records behind one figure (drill-down), for those allowed to see them. */
export interface FigureRecords {
  consultationIds: string[];
  requestIds: string[];
}

export async function reportPeriod(_db: Db, _institutionId: string, _month: string): Promise<ReportPeriod> {
  throw new Error('reportPeriod: being written (issue 18)');
}

export async function institutionMonthFigures(_db: Db, _institutionId: string, _month: string): Promise<ReportFigures> {
  throw new Error('institutionMonthFigures: being written (issue 18)');
}

/** Every institution of the department at once (the consolidated form), by institution id. */
export async function departmentMonthFigures(_db: Db, _departmentId: string, _month: string): Promise<Map<string, ReportFigures>> {
  throw new Error('departmentMonthFigures: being written (issue 18)');
}

export async function figureRecords(_db: Db, _institutionId: string, _month: string, _key: string): Promise<FigureRecords> {
  throw new Error('figureRecords: being written (issue 18)');
}
