import type { Role } from '../domain/roles.js';

/**
 * Who sees and who changes an export. Its owner does both. Admins and CC managers see every export (they
 * oversee the compliance team's work), auditors read every export and its runs; only the owner or an admin
 * changes, runs or removes one. Compliance analysts see their own.
 */
export interface ExportViewer {
  userId: string;
  roles: readonly Role[];
}

const READS_ALL: readonly Role[] = ['admin', 'cc-manager', 'auditor'];

export function seesEveryExport(viewer: ExportViewer): boolean {
  return viewer.roles.some((role) => READS_ALL.includes(role));
}

export function maySeeExport(viewer: ExportViewer, ownerId: string): boolean {
  return ownerId === viewer.userId || seesEveryExport(viewer);
}

export function mayChangeExport(viewer: ExportViewer, ownerId: string): boolean {
  return ownerId === viewer.userId || viewer.roles.includes('admin');
}
