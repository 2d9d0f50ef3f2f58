package store

import (
	"context"

	"talentdb/db"
)

// What pipeline_test.go needs of the pipeline, unexported in the package.

// Pipeline is a pipelined unit of work, for tests.
type Pipeline struct{ p *pipeline }

// Pipeline starts one in ctx's scope.
func (s *Store) Pipeline(ctx context.Context) Pipeline { return Pipeline{s.pipeline(ctx)} }

func (p Pipeline) Queue(fn func(db.DBTX) error)               { p.p.queue(fn) }
func (p Pipeline) Require(fn func(db.DBTX) error, col string) { p.p.require(fn, col) }
func (p Pipeline) Send() error                                { return p.p.send(false) }
func (p Pipeline) Commit() error                              { return p.p.commit() }
func (p Pipeline) Close()                                     { p.p.close() }
