// Package schema is strata's dialect-neutral picture of a database schema:
// tables, columns with their types and defaults, primary keys, indexes,
// foreign keys and checks; views, enum types; and, as definitions the
// database prints and strata never parses, extensions, functions and
// procedures, and the triggers of tables and views.
//
// It is plain data. Inspectors (dialect packages) and the models package
// produce a *Schema; the diff package compares two of them. Normalize puts
// a schema in canonical order so that Equal is a plain comparison, and
// each dialect maps types and defaults to the spelling its database
// reports, so that two equal schemas compare equal whatever produced them.
//
// Type and Default are sealed interfaces with one comparable struct per
// kind; RawType and Expr hold the dialect's SQL for what has no neutral
// form. A Function is identified by its Key (kind, name, argument types);
// a Trigger belongs to the table or view that holds it, and goes or is
// renamed with it.
package schema
