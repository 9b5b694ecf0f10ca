package com.example.fraud.tools;

import com.example.fraud.tools.backtest.BacktestCommand;
import com.example.fraud.tools.emulator.EmulatorCommand;
import com.example.fraud.tools.evaluate.EvaluateCommand;
import com.example.fraud.tools.generator.GenerateCommand;
import com.example.fraud.tools.tail.TailCommand;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command-line entry point: {@code java -jar fraud-tools.jar COMMAND ...}; {@code --help} lists them. */
@Command(name = "fraud-tools", mixinStandardHelpOptions = true, version = "fraud-tools 1.0.0-SNAPSHOT",
        description = "Local Kinesis, transaction generator, alert tail and evaluator for the fraud detector.",
        subcommands = {EmulatorCommand.class, GenerateCommand.class, TailCommand.class, EvaluateCommand.class,
            com.example.fraud.tools.probe.ProbeCommand.class, com.example.fraud.tools.rules.RulesCommand.class,
            BacktestCommand.class, CommandLine.HelpCommand.class})
public final class FraudTools implements Runnable {
    /** Apache HttpClient 4 logs through commons-logging to java.util.logging, INFO on retries: keep it quiet. */
    private static final Logger APACHE_HTTP = Logger.getLogger("org.apache.http");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for tests: {@code FraudTools.commandLine().execute(...)}. */
    public static CommandLine commandLine() {
        APACHE_HTTP.setLevel(Level.WARNING);
        return new CommandLine(new FraudTools()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Expected failures (no stream, no emulator, bad file) deserve one line, not a stack trace.
            cmd.getErr().println("error: " + message(e));
            if (Boolean.getBoolean("fraud.tools.stacktrace")) {
                e.printStackTrace(cmd.getErr());
            } else {
                cmd.getErr().println("(run java -Dfraud.tools.stacktrace=true -jar ... for the stack trace)");
            }
            return 2;
        });
    }

    private static String message(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage() != null ? e.getMessage() : e.toString()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(": ").append(c.getMessage());
            }
        }
        return sb.toString();
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
