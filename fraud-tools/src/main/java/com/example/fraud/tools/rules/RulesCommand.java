package com.example.fraud.tools.rules;

import com.example.fraud.model.RuleMode;
import com.example.fraud.model.TerminalText;
import com.example.fraud.model.Timestamps;
import com.example.fraud.rules.RuleAck;
import com.example.fraud.rules.RuleCodec;
import com.example.fraud.rules.RuleException;
import com.example.fraud.tools.DurationText;
import com.example.fraud.tools.kinesis.EndpointOption;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import software.amazon.awssdk.core.exception.SdkException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code rules list | put FILE | shadow ID | activate ID | pause ID | delete ID} against a running detector. */
@Command(name = "rules", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List and change the rules of a running detector (emulator with --endpoint, else AWS).",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:applied (list: listed)", "2:invalid rule, unreadable file, rejected by the job, or a "
                + "usage error", "3:no acknowledgement within --wait", "4:Kinesis refused or could not be reached"},
        subcommands = {RulesCommand.List.class, RulesCommand.Put.class, RulesCommand.Shadow.class,
            RulesCommand.Activate.class, RulesCommand.Pause.class, RulesCommand.Delete.class})
public final class RulesCommand implements Runnable {
    /** Exit code when the job rejected the change, or the rule file is invalid. */
    static final int REJECTED = 2;
    /** Exit code when no acknowledgement came in time. */
    static final int NO_ACK = 3;
    /** Exit code when Kinesis refused or could not be reached: nothing is known of the change. */
    static final int KINESIS_ERROR = 4;

    @Spec
    CommandSpec spec;

    @Mixin
    EndpointOption endpoint;

    @Option(names = "--rules-stream", paramLabel = "NAME", description = "Control stream (default: ${DEFAULT-VALUE}).")
    String rulesStream = com.example.fraud.tools.emulator.StreamNames.RULES;

    @Option(names = "--ack-stream", paramLabel = "NAME", description = "Ack stream (default: ${DEFAULT-VALUE}).")
    String ackStream = com.example.fraud.tools.emulator.StreamNames.RULE_ACKS;

    @Option(names = "--wait", paramLabel = "DURATION", converter = DurationText.Converter.class,
            description = "How long to wait for the job's acknowledgement (default: 30s).")
    Duration wait = Duration.ofSeconds(30);

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "give a subcommand: list, put, shadow, activate, pause, delete (see --help)");
    }

    RuleControl control() {
        return new RuleControl(endpoint.client(), rulesStream, ackStream);
    }

    /** Prints an acknowledgement; the exit code says whether it was applied. */
    int report(RuleAck ack) {
        if (ack.status == RuleAck.Status.APPLIED) {
            out.println("APPLIED " + TerminalText.escape(ack.ruleId) + " v" + ack.version
                    + (ack.deleted ? " (deleted)" : " " + ack.ruleType + " " + ack.mode));
            return 0;
        }
        err.println("REJECTED " + TerminalText.escape(String.valueOf(ack.ruleId)) + " v" + ack.version + ": "
                + TerminalText.escape(ack.reason));
        return REJECTED;
    }

    int change(ChangeCall call) {
        try {
            return report(call.run(control()));
        } catch (RuleException e) {
            err.println("invalid: " + TerminalText.escape(e.getMessage()));
            return REJECTED;
        } catch (RuleControl.NoAckException e) {
            err.println(e.getMessage());
            return NO_ACK;
        } catch (SdkException e) {
            return kinesisError(e);
        }
    }

    int kinesisError(SdkException e) {
        err.println("Kinesis error (streams " + rulesStream + ", " + ackStream + "): "
                + TerminalText.escape(e.getMessage()));
        return KINESIS_ERROR;
    }

    /** One change against the job. */
    interface ChangeCall {
        RuleAck run(RuleControl control) throws RuleException, RuleControl.NoAckException;
    }

    @Command(name = "list", description = "Each rule's id, version, type, mode and when the job applied it.")
    static final class List implements Callable<Integer> {
        @ParentCommand
        RulesCommand parent;

        @Override
        public Integer call() {
            Map<String, RuleAck> rules;
            try {
                rules = parent.control().list();
            } catch (SdkException e) {
                return parent.kinesisError(e);
            }
            parent.out.printf("%-28s %7s  %-30s %-7s %s%n", "RULE", "VERSION", "TYPE", "MODE", "APPLIED AT");
            for (RuleAck a : rules.values()) {
                parent.out.printf("%-28s %7d  %-30s %-7s %s%n", TerminalText.escape(a.ruleId), a.version, a.ruleType,
                        a.mode, Timestamps.format(a.atMillis));
            }
            if (rules.isEmpty()) {
                parent.out.println("(no rule was ever applied through the control stream; the job runs its "
                        + "configured rules)");
            }
            return 0;
        }
    }

    @Command(name = "put", description = "Validate a rule document (or delete command) locally, send it, and wait for "
            + "the job's APPLIED or REJECTED.")
    static final class Put implements Callable<Integer> {
        @ParentCommand
        RulesCommand parent;

        @Parameters(paramLabel = "FILE", description = "One JSON rule document.")
        Path file;

        @Override
        public Integer call() {
            byte[] doc;
            try {
                doc = Files.readAllBytes(file);
            } catch (IOException e) {
                parent.err.println("cannot read the rule file " + file.toAbsolutePath() + ": " + e);
                return REJECTED;
            }
            try {
                RuleCodec.parseCommand(doc);
            } catch (RuleException e) {
                parent.err.println("invalid: " + TerminalText.escape(e.getMessage()));
                return REJECTED;
            }
            return parent.change(c -> c.put(doc, parent.wait));
        }
    }

    abstract static class ModeChange implements Callable<Integer> {
        @ParentCommand
        RulesCommand parent;

        @Parameters(paramLabel = "ID", description = "Rule id.")
        String ruleId;

        abstract RuleMode mode();

        @Override
        public Integer call() {
            return parent.change(c -> c.setMode(ruleId, mode(), parent.wait));
        }
    }

    @Command(name = "shadow", description = "Evaluate the rule, but send its alerts to the shadow-alert stream only.")
    static final class Shadow extends ModeChange {
        @Override
        RuleMode mode() {
            return RuleMode.SHADOW;
        }
    }

    @Command(name = "activate", description = "Make the rule live: its alerts go to the alert stream.")
    static final class Activate extends ModeChange {
        @Override
        RuleMode mode() {
            return RuleMode.ACTIVE;
        }
    }

    @Command(name = "pause", description = "Stop evaluating the rule; its state is kept.")
    static final class Pause extends ModeChange {
        @Override
        RuleMode mode() {
            return RuleMode.PAUSED;
        }
    }

    @Command(name = "delete", description = "Delete the rule and its state.")
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        RulesCommand parent;

        @Parameters(paramLabel = "ID", description = "Rule id.")
        String ruleId;

        @Override
        public Integer call() {
            return parent.change(c -> c.delete(ruleId, parent.wait));
        }
    }
}
