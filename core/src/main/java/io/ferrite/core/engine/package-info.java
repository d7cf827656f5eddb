/**
 * The running engine (internal): shards, epoch, memory budget, change bus and background
 * threads (page mover, maintenance, compaction), and the operation template every command
 * family runs through ({@link io.ferrite.core.engine.Engine#read},
 * {@link io.ferrite.core.engine.Engine#write}, {@link io.ferrite.core.engine.Engine#locked}).
 */
package io.ferrite.core.engine;
