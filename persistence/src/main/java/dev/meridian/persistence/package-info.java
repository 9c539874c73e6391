/**
 * Meridian's storage layer on Cassandra: the per-region tables (object bytes as chunks, or inline in the
 * index rows for small objects, see {@link dev.meridian.persistence.BlobRef}; the key/version
 * index, blob garbage collection) and the global bucket-name registry. Pure data access over a
 * {@code CqlSession}; the actors in {@code cluster/} decide what to write and when.
 */
package dev.meridian.persistence;
