import Testing
@testable import LightstreamParquet

@Suite struct ParquetErrorTests {
    @Test func descriptionNamesTheLocation() {
        let error = ParquetError(.corruptPage("level 3 beyond maximum 1")).located(rowGroup: 2, column: "a.b", page: 5)
        #expect(error.description == "corrupt page: level 3 beyond maximum 1 (row group 2, column a.b, page 5)")
    }
}
