// Package op holds strata's typed schema operations: on tables
// (CreateTable, DropTable, RenameTable, AlterTable), columns (AddColumn,
// DropColumn, AlterColumn), keys, indexes and constraints, enum types,
// views, extensions (CreateExtension, DropExtension), functions
// (CreateFunction, DropFunction, ReplaceFunction) and triggers
// (CreateTrigger, DropTrigger), plus BulkInsert and Execute.
//
// Ops describe; dialects render them to SQL; the runner executes. Each op
// carries the state its inverse needs (DropColumn holds the whole column,
// AlterColumn holds From and To), so Inverse derives a downgrade, and
// Apply follows the op on a *schema.Schema without a connection.
package op
