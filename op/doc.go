// Package op holds strata's typed schema operations: CreateTable,
// DropTable, AddColumn, DropColumn, AlterColumn, CreateIndex, DropIndex
// and Execute.
//
// Ops describe; dialects render them to SQL; the runner executes. Each op
// carries the state its inverse needs (DropColumn holds the whole column,
// AlterColumn holds From and To), so Inverse derives a downgrade, and
// Apply follows the op on a *schema.Schema without a connection.
package op
