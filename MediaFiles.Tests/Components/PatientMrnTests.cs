using Bunit;
using MediaFiles.Web.Components.Pages.Patients;

namespace MediaFiles.Tests.Components;

/// <summary>The hospital record number (MRN) on the patient list and the patient page; the list's search finds it.</summary>
public sealed class PatientMrnTests : ComponentTestContext
{
    [Fact]
    public void The_patient_list_shows_each_patients_mrn_and_searches_by_it()
    {
        var cut = Render<PatientList>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=patient-card]")), Wait);
        var helena = cut.FindAll("[data-testid=patient-card]").Single(c => c.TextContent.Contains("Helena Marsh"));
        Assert.Equal("MRN SEG-104823", helena.QuerySelector("[data-testid=patient-mrn]")!.TextContent.Trim());

        var search = cut.Find("[data-testid=patient-search]");
        (search.TagName == "INPUT" ? search : search.QuerySelector("input")!).Input("seg-330918");
        cut.WaitForAssertion(() =>
        {
            var card = Assert.Single(cut.FindAll("[data-testid=patient-card]"));
            Assert.Contains("Amara Nwosu", card.TextContent);
        }, Wait);
    }

    [Fact]
    public async Task The_patient_page_header_shows_the_mrn()
    {
        var id = await PatientIdAsync("Lucía Romero");
        var cut = Render<PatientPage>(p => p.Add(x => x.PatientId, id));
        cut.WaitForAssertion(() => Assert.Equal("MRN SEG-412507", cut.Find("[data-testid=patient-mrn]").TextContent.Trim()), Wait);
    }
}
