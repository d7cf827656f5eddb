package io.ferrite.server.command;

import io.ferrite.core.aof.RespCommand;
import io.ferrite.server.protocol.RespRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The form in which a write command goes to the append-only file: the request itself, except
 * where replaying it later would not give the same result, as Redis rewrites them: relative
 * expiries become absolute ({@code SET .. PXAT}, {@code PEXPIREAT}, {@code RESTORE .. ABSTTL}),
 * conditions that held are left out ({@code SET .. IFEQ} as {@code SET}, {@code DELEX} as {@code DEL}),
 * and commands whose effect depends on chance or on floating-point text ({@code SPOP},
 * {@code INCRBYFLOAT}, {@code HINCRBYFLOAT}) log the effect the handler recorded with
 * {@link CommandContext#logAs}.
 */
public final class JournalForms {
    private final RespCommand command = new RespCommand();

    /** One per thread: the command buffer is reused, only the logged bytes are allocated. */
    private static final ThreadLocal<JournalForms> FORMS = ThreadLocal.withInitial(JournalForms::new);

    private JournalForms() {}

    /** The RESP bytes to log for the command {@code ctx} just ran. */
    public static byte[] form(CommandContext ctx) {
        return FORMS.get().formOf(ctx);
    }

    /** The request as it was sent. */
    public static byte[] verbatim(RespRequest request) {
        return FORMS.get().asSent(request);
    }

    private byte[] formOf(CommandContext ctx) {
        byte[][] logged = ctx.loggedForm();
        if (logged != null) {
            return RespCommand.of(logged);
        }
        RespRequest request = ctx.request();
        long now = ctx.startedMillis();
        return switch (ctx.spec().fullName()) {
            case "set" -> set(request, now);
            case "delex" -> delex(request);
            case "setex" -> expiringSet(request, now, 1000);
            case "psetex" -> expiringSet(request, now, 1);
            case "expire", "pexpire", "expireat", "pexpireat" -> expire(request, ctx.spec().fullName(), now);
            case "getex" -> getex(request, now);
            case "restore" -> restore(request, now);
            default -> asSent(request);
        };
    }

    private byte[] asSent(RespRequest request) {
        command.begin(request.argc());
        for (int i = 0; i < request.argc(); i++) {
            arg(request, i);
        }
        return command.toByteArray();
    }

    /**
     * SET k v [options] with every relative or absolute expiry as {@code PXAT abs} and without
     * an IFEQ/IFNE condition (it held, or nothing would be logged): a plain SET that replays
     * the same in any Redis. Other options are kept.
     */
    private byte[] set(RespRequest request, long now) {
        int argc = request.argc();
        int kept = argc;
        boolean rewritten = false;
        for (int i = 3; i + 1 < argc; i++) {
            String option = upper(request, i);
            if (isCondition(option)) {
                kept -= 2;
                rewritten = true;
                i++;
            } else if (isExpiry(option)) {
                rewritten = true;
                i++;
            }
        }
        if (!rewritten) {
            return asSent(request);
        }
        command.begin(kept);
        for (int i = 0; i < argc; i++) {
            String option = i >= 3 && i + 1 < argc ? upper(request, i) : "";
            if (isCondition(option)) {
                i++;
            } else if (isExpiry(option)) {
                command.arg("PXAT").arg(absolute(option, parse(request, i + 1), now));
                i++;
            } else {
                arg(request, i);
            }
        }
        return command.toByteArray();
    }

    private static boolean isExpiry(String option) {
        return option.equals("EX") || option.equals("PX") || option.equals("EXAT") || option.equals("PXAT");
    }

    private static boolean isCondition(String option) {
        return option.equals("IFEQ") || option.equals("IFNE");
    }

    /** DELEX k [IFEQ|IFNE v] that deleted: DEL k. */
    private byte[] delex(RespRequest request) {
        command.begin(2).arg("DEL");
        arg(request, 1);
        return command.toByteArray();
    }

    private byte[] expiringSet(RespRequest request, long now, long unitMillis) {
        long at = now + parse(request, 2) * unitMillis;
        command.begin(5).arg("SET");
        arg(request, 1);
        arg(request, 3);
        return command.arg("PXAT").arg(at).toByteArray();
    }

    /** Any EXPIRE variant that changed the TTL: PEXPIREAT k abs (its condition held). */
    private byte[] expire(RespRequest request, String name, long now) {
        long value = parse(request, 2);
        long at = switch (name) {
            case "expire" -> now + value * 1000;
            case "pexpire" -> now + value;
            case "expireat" -> value * 1000;
            default -> value;
        };
        command.begin(3).arg("PEXPIREAT");
        arg(request, 1);
        return command.arg(at).toByteArray();
    }

    /** GETEX k EX/PX/EXAT/PXAT t as PEXPIREAT k abs; GETEX k PERSIST as PERSIST k. */
    private byte[] getex(RespRequest request, long now) {
        if (request.argc() >= 3) {
            String option = upper(request, 2);
            if (option.equals("PERSIST")) {
                command.begin(2).arg("PERSIST");
                arg(request, 1);
                return command.toByteArray();
            }
            if (request.argc() >= 4) {
                long at = absolute(option, parse(request, 3), now);
                command.begin(3).arg("PEXPIREAT");
                arg(request, 1);
                return command.arg(at).toByteArray();
            }
        }
        return asSent(request);
    }

    /** RESTORE k ttl payload [...]: a relative TTL made absolute (ABSTTL added). */
    private byte[] restore(RespRequest request, long now) {
        long ttl = parse(request, 2);
        boolean abs = false;
        for (int i = 4; i < request.argc(); i++) {
            abs |= upper(request, i).equals("ABSTTL");
        }
        if (ttl == 0 || abs) {
            return asSent(request);
        }
        command.begin(request.argc() + 1);
        for (int i = 0; i < request.argc(); i++) {
            if (i == 2) {
                command.arg(now + ttl);
            } else {
                arg(request, i);
            }
        }
        return command.arg("ABSTTL").toByteArray();
    }

    private static long absolute(String option, long value, long now) {
        return switch (option) {
            case "EX" -> now + value * 1000;
            case "PX" -> now + value;
            case "EXAT" -> value * 1000;
            default -> value;
        };
    }

    private void arg(RespRequest request, int i) {
        int length = request.argLength(i);
        int at = command.reserveArg(length);
        request.buffer().getBytes(request.argOffset(i), command.array(), at, length);
    }

    private static String upper(RespRequest request, int i) {
        return request.argString(i, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
    }

    /** The command ran successfully, so its numbers parse. */
    private static long parse(RespRequest request, int i) {
        return Long.parseLong(request.argString(i, StandardCharsets.ISO_8859_1));
    }
}
