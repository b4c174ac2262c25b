package dev.rolloutcontroller.ui;

import dev.rolloutcontroller.ui.GoNoGoReports.DecisionLine;
import dev.rolloutcontroller.ui.GoNoGoReports.Report;
import dev.rolloutcontroller.ui.GoNoGoReports.ReportStep;
import dev.rolloutcontroller.ui.GoNoGoReports.SignOffLine;

/** The Go/No-Go report as Markdown; every text that came from a person is escaped, so it stays text. */
final class Markdown {

    private Markdown() {
    }

    static String render(Report report) {
        StringBuilder md = new StringBuilder();
        md.append("# Go/No-Go report: ").append(text(report.key())).append("\n\n");
        if (!report.description().isBlank()) {
            md.append(text(report.description())).append("\n\n");
        }
        md.append("Status **").append(report.status()).append("** at step **").append(text(report.step())).append("** (")
                .append(report.percentage()).append("% on the new path). Generated ").append(report.generatedAt()).append(".\n\n");
        md.append("## Checklist\n\n");
        for (ReportStep step : report.steps()) {
            md.append("### ").append(text(step.name())).append(" (").append(step.percentage()).append("%): ")
                    .append(step.state()).append("\n\n");
            for (Views.ChecklistSection section : step.checklist()) {
                md.append("**").append(text(section.title())).append("**\n\n");
                for (ChecklistItem item : section.items()) {
                    md.append("- [").append(item.passed() ? "x" : " ").append("] ").append(text(item.description()))
                            .append(": ").append(item.verdict());
                    if (!item.detail().isBlank()) {
                        md.append(" (").append(text(item.detail())).append(")");
                    }
                    md.append("\n");
                }
                md.append("\n");
            }
        }
        md.append("## Sign-offs\n\n");
        if (report.signOffs().isEmpty()) {
            md.append("None yet.\n\n");
        } else {
            md.append("| Role | Step | Name | Time | Comment | Withdrawn |\n| --- | --- | --- | --- | --- | --- |\n");
            for (SignOffLine s : report.signOffs()) {
                md.append("| ").append(text(s.role())).append(" | ").append(text(s.step())).append(" | ").append(text(s.name()))
                        .append(" | ").append(s.at()).append(" | ").append(text(s.comment())).append(" | ").append(text(s.withdrawn()))
                        .append(" |\n");
            }
            md.append("\n");
        }
        md.append("## Decisions\n\n");
        for (DecisionLine d : report.decisions()) {
            md.append("- ").append(d.at()).append(": **").append(text(d.what())).append("** by ").append(text(d.actor()));
            if (!d.change().isBlank()) {
                md.append(", ").append(text(d.change()));
            }
            if (!d.reason().isBlank()) {
                md.append(": ").append(text(d.reason()));
            }
            md.append("\n");
        }
        md.append("\n## Go/No-Go Decision\n\n");
        md.append("- [").append(report.verdict().equals("Go") ? "x" : " ").append("] **Go**: All checklist items completed ✅\n");
        md.append("- [").append(report.verdict().equals("No-Go") ? "x" : " ").append("] **No-Go**: Critical items failed ❌\n\n");
        md.append("**Decision**: ").append(report.verdict()).append(": ").append(text(report.verdictReason())).append("\n\n");
        md.append("**Final Approval**: ").append(text(report.finalApproval())).append("  \n");
        md.append("**Date**: ").append(report.date()).append("  \n");
        md.append("**Deployment Window**: ").append(report.deploymentWindow()).append("\n");
        return md.toString();
    }

    /** Backslash-escapes what Markdown would read as markup (and HTML), and keeps it on one line. */
    static String text(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.replace('\r', ' ').replace('\n', ' ').toCharArray()) {
            if ("\\`*_{}[]()<>#+-!|~".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
