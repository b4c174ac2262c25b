package dev.rolloutcontroller.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.Path;
import org.apache.commons.codec.digest.MurmurHash3;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shape of the code, checked on the compiled classes: packages form no cycle, the domain is
 * plain Java, and resources speak to services, never to persistence.
 */
class ArchitectureTest {

    private static final String BASE = "dev.rolloutcontroller";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);

    @Test
    void shouldHaveNoCyclesBetweenPackages() {
        slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void shouldKeepTheDomainFreeOfFrameworks() {
        classes().that().resideInAPackage(BASE + ".domain..").and().doNotHaveSimpleName("Bucketing")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", BASE + ".domain..")
                .check(MAIN);
    }

    /** Bucketing hashes with MurmurHash3 (the Unleash normalisation), and nothing else from outside. */
    @Test
    void shouldLetBucketingUseOnlyMurmurHash() {
        classes().that().resideInAPackage(BASE + ".domain..").and().haveSimpleName("Bucketing")
                .should().onlyDependOnClassesThat(describe("java, the domain or MurmurHash3", type ->
                        type.getPackageName().startsWith("java.") || type.getPackageName().startsWith(BASE + ".domain")
                                || type.isEquivalentTo(MurmurHash3.class)))
                .check(MAIN);
    }

    @Test
    void shouldKeepResourcesAwayFromPersistence() {
        noClasses().that().areAnnotatedWith(Path.class)
                .should().dependOnClassesThat().resideInAPackage(BASE + ".persistence..")
                .check(MAIN);
    }

    /** The rules are only as good as the import: the classes they judge must be there. */
    @Test
    void shouldImportTheResourcesAndTheDomain() {
        assertTrue(MAIN.stream().filter(type -> type.isAnnotatedWith(Path.class)).count() >= 9, "the REST resources");
        assertTrue(MAIN.contain("dev.rolloutcontroller.domain.evaluation.RolloutEngine"), "the domain");
    }
}
