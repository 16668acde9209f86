//! Ingest: streams RawDoc records from inputs.
