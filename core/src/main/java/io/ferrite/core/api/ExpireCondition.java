package io.ferrite.core.api;

/**
 * Conditions of EXPIRE and friends (Redis 7). A time in the past (even negative) deletes the
 * key. XX with GT is GT (no TTL never passes GT); XX with LT is {@link #XX_LT}.
 */
public enum ExpireCondition { ALWAYS, NX, XX, GT, LT, XX_LT }
