export { toCsv, tableCsv, type Cell, type Table } from './csv.ts';
export {
  classReport, exerciseTable, quizAnswersTable, quizResultsTable, rosterTable,
  type ClassReport, type ClassReportInput, type RosterEntry,
} from './class-report.ts';
