package com.example.fraud.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The README is where users look up the tools: every command and every option of fraud-tools is named there. */
class ReadmeDocumentsEveryOptionTest {
    private static final Set<String> STANDARD = Set.of("--help", "--version");

    @Test
    void everyCommandAndOptionIsInTheReadme() throws IOException {
        String readme = Files.readString(repoFile("README.md"));
        List<String> missing = new ArrayList<>();
        collect(FraudTools.commandLine(), readme, missing);
        assertThat(missing).as("commands and options of fraud-tools that README.md does not name").isEmpty();
    }

    @Test
    void aMissingOptionIsFound() {
        List<String> missing = new ArrayList<>();
        collect(FraudTools.commandLine(), "`emulator`", missing);
        assertThat(missing).contains("emulator --port", "generate");
    }

    private static void collect(CommandLine command, String readme, List<String> missing) {
        for (CommandLine sub : command.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            if (sub.getCommand() instanceof CommandLine.HelpCommand) {
                continue;
            }
            String path = qualifiedName(spec);
            if (!readme.contains("`" + spec.name()) && !readme.contains(" " + spec.name() + " ")) {
                missing.add(path);
            }
            for (OptionSpec option : spec.options()) {
                String name = option.longestName();
                if (!STANDARD.contains(name) && !readme.contains(name)) {
                    missing.add(path + " " + name);
                }
            }
            collect(sub, readme, missing);
        }
    }

    private static String qualifiedName(CommandSpec spec) {
        String name = spec.qualifiedName(" ");
        return name.startsWith("fraud-tools ") ? name.substring("fraud-tools ".length()) : name;
    }

    private static Path repoFile(String name) {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve(name))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("%s above the working directory", name).isNotNull();
        return dir.resolve(name);
    }
}
