/**
 * Rota jdbc: planned, not yet implemented. This module builds on {@code io.rota.core}; its API lands
 * with its own issue. Nothing here is usable yet.
 */
package io.rota.jdbc;
