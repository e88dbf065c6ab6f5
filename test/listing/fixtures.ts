/**
 * Listing documents as S3 writes them (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html,
 * .../API_ListObjects.html, .../API_ListObjectVersions.html): one line, default namespace, quotes of ETags
 * escaped as `&quot;`, keys entity-escaped (a carriage return as `&#13;`). Sizes are stored (ciphertext) sizes:
 * 65601 = C(65537), 33 = C(1), 32 = C(0), 1049088 = C(1 MiB) at e = 16.
 */
export const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

export const LIST_V2 =
  `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult ${NS}><Name>b</Name><Prefix></Prefix>` +
  "<KeyCount>4</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated>" +
  "<Contents><Key>a&amp;b &lt;c&gt; ✓.bin</Key><LastModified>2025-01-02T03:04:05.000Z</LastModified>" +
  "<ETag>&quot;0123456789abcdef0123456789abcdef&quot;</ETag><ChecksumAlgorithm>CRC32</ChecksumAlgorithm>" +
  "<Size>65601</Size><StorageClass>STANDARD</StorageClass></Contents>" +
  "<Contents><Key>cr&#13;lf</Key><LastModified>2025-01-02T03:04:05.000Z</LastModified>" +
  "<ETag>&quot;11111111111111111111111111111111&quot;</ETag><Size>33</Size>" +
  "<Owner><ID>owner</ID><DisplayName>o</DisplayName></Owner><StorageClass>STANDARD</StorageClass></Contents>" +
  "<Contents><Key>dir/</Key><LastModified>2025-01-02T03:04:05.000Z</LastModified>" +
  "<ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><Size>0</Size><StorageClass>STANDARD</StorageClass></Contents>" +
  "<Contents><Key>multi.bin</Key><LastModified>2025-01-02T03:04:05.000Z</LastModified>" +
  "<ETag>&quot;22222222222222222222222222222222-2&quot;</ETag><Size>1049088</Size><StorageClass>STANDARD</StorageClass></Contents>" +
  "<CommonPrefixes><Prefix>sub/</Prefix></CommonPrefixes></ListBucketResult>";

export const LIST_V2_URL =
  `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult ${NS}><Name>b</Name><Prefix>run+books%2F</Prefix>` +
  "<KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>" +
  "<Contents><Key>run+books/a%2Bb%20%ED%95%9C.txt</Key><LastModified>2025-01-02T03:04:05.000Z</LastModified>" +
  "<ETag>&quot;33333333333333333333333333333333&quot;</ETag><Size>65601</Size><StorageClass>STANDARD</StorageClass></Contents>" +
  "</ListBucketResult>";

export const LIST_V1_EMPTY =
  `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult ${NS}><Name>b</Name><Prefix>none/</Prefix>` +
  "<Marker></Marker><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>";

export const LIST_VERSIONS =
  `<?xml version="1.0" encoding="UTF-8"?>\n<ListVersionsResult ${NS}><Name>b</Name><Prefix></Prefix>` +
  "<KeyMarker></KeyMarker><VersionIdMarker></VersionIdMarker><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>" +
  "<Version><Key>k</Key><VersionId>v2</VersionId><IsLatest>true</IsLatest><LastModified>2025-01-02T03:04:05.000Z</LastModified>" +
  "<ETag>&quot;44444444444444444444444444444444&quot;</ETag><Size>33</Size><StorageClass>STANDARD</StorageClass></Version>" +
  "<DeleteMarker><Key>k</Key><VersionId>v1</VersionId><IsLatest>false</IsLatest>" +
  "<LastModified>2025-01-01T03:04:05.000Z</LastModified></DeleteMarker>" +
  "<Version><Key>k</Key><VersionId>v0</VersionId><IsLatest>false</IsLatest><LastModified>2025-01-01T00:00:00.000Z</LastModified>" +
  "<ETag>&quot;55555555555555555555555555555555&quot;</ETag><Size>65601</Size><StorageClass>STANDARD</StorageClass></Version>" +
  "</ListVersionsResult>";

/** Some servers write the quotes of ETags literally and pretty-print. */
export const LIST_V1_PRETTY = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult ${NS}>
  <Name>b</Name>
  <Contents>
    <Key>x</Key>
    <ETag>"66666666666666666666666666666666"</ETag>
    <Size> 65601 </Size>
  </Contents>
</ListBucketResult>
`;
